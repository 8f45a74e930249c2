package dev.tributary.benchmarks.rocksdb;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import dev.tributary.StreamProcessor;
import dev.tributary.rocksdb.SharedRocksDbMemory;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The measured process: two processors with three RocksDB stores each over the same
 * input, started once the context is up so that the baseline excludes RocksDB. Prints
 * {@code RESULT key=value} lines for the driver.
 */
@SpringBootApplication
public class BenchmarkApplication {

	static final Map<String, AtomicLong> PROCESSED = new ConcurrentHashMap<>();

	static final Map<String, List<String>> STORES = Map.of("counts",
			List.of("counts-count", "counts-bytes", "counts-latest"), "profiles",
			List.of("profiles-first", "profiles-longest", "profiles-table"));

	public static void main(String[] args) throws Exception {
		SpringApplication application = new SpringApplication(BenchmarkApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("tributary.auto-startup", "false",
				"tributary.streams.num.stream.threads", "1", "tributary.close-timeout", "60s",
				"tributary.streams.default.key.serde", Serdes.StringSerde.class.getName(),
				"tributary.streams.default.value.serde", Serdes.StringSerde.class.getName()));
		ConfigurableApplicationContext context = application.run(Arrays.copyOfRange(args, 1, args.length));
		long records = context.getEnvironment().getRequiredProperty("benchmark.records", Long.class);
		int lookups = context.getEnvironment().getRequiredProperty("benchmark.lookups", Integer.class);
		Path self = Path.of("/proc/self/status");
		result("baselineRssKb", statusKb(self, "VmRSS"));

		result("baselineJvmCommittedKb", jvmCommittedKb());

		ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
		long start = System.nanoTime();
		double cpuStart = cpuSeconds();
		STORES.keySet().forEach(registry::start);
		long lastReport = start;
		while (STORES.keySet().stream().anyMatch((name) -> processed(name) < records)) {
			for (String name : STORES.keySet()) {
				if (registry.get(name).state() == State.ERROR) {
					throw new IllegalStateException("Processor " + name + " failed");
				}
			}
			// A sampling interval, not a wait for a condition.
			java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
			if (System.nanoTime() - lastReport > 10_000_000_000L) {
				lastReport = System.nanoTime();
				System.out.printf("processed %s, RSS %d MB%n", PROCESSED, statusKb(self, "VmRSS") / 1024);
			}
		}
		double seconds = RocksDbMemoryBenchmark.since(start).toNanos() / 1e9;
		result("processSeconds", String.format(java.util.Locale.ROOT, "%.1f", seconds));
		result("processCpuSeconds", String.format(java.util.Locale.ROOT, "%.1f", cpuSeconds() - cpuStart));
		result("recordsPerSecond", String.format(java.util.Locale.ROOT, "%.0f", 2 * records / seconds));
		result("afterProcessingRssKb", statusKb(self, "VmRSS"));

		// Point lookups over every store fill the block caches.
		Random random = new Random(7);
		long lookupStart = System.nanoTime();
		long found = 0;
		for (Map.Entry<String, List<String>> processor : STORES.entrySet()) {
			KafkaStreams streams = registry.get(processor.getKey()).kafkaStreams().orElseThrow();
			for (String storeName : processor.getValue()) {
				ReadOnlyKeyValueStore<String, Object> store = streams
					.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
				for (int i = 0; i < lookups; i++) {
					if (store.get(key(random.nextLong(records))) != null) {
						found++;
					}
				}
			}
		}
		double lookupSeconds = RocksDbMemoryBenchmark.since(lookupStart).toNanos() / 1e9;
		result("lookupsPerSecond",
				String.format(java.util.Locale.ROOT, "%.0f", 6.0 * lookups / lookupSeconds));
		result("lookupsFound", found);
		result("endRssKb", statusKb(self, "VmRSS"));
		result("vmHwmKb", statusKb(self, "VmHWM"));
		result("endJvmCommittedKb", jvmCommittedKb());
		result("rocksDbReportedBytes", rocksDbReportedBytes(context, registry));
		context.close();
		System.exit(0);
	}

	/**
	 * What RocksDB says it holds: with the shared budget, the shared cache (memtables are
	 * charged to it) plus index and filter memory outside it; without, every store's own
	 * block cache plus its memtables and table readers.
	 */
	private static long rocksDbReportedBytes(ConfigurableApplicationContext context, ProcessorRegistry registry) {
		SharedRocksDbMemory memory = context.getBeanProvider(SharedRocksDbMemory.class).getIfAvailable();
		Map<String, Double> sums = new java.util.TreeMap<>();
		for (String processor : STORES.keySet()) {
			KafkaStreams streams = registry.get(processor).kafkaStreams().orElseThrow();
			for (var entry : streams.metrics().entrySet()) {
				MetricName name = entry.getKey();
				if (name.group().equals("stream-state-metrics") && List
					.of("estimate-table-readers-mem", "block-cache-usage", "block-cache-pinned-usage",
							"cur-size-all-mem-tables", "size-all-mem-tables", "estimate-num-keys", "total-sst-files-size")
					.contains(name.name()) && entry.getValue().metricValue() instanceof Number number) {
					sums.merge(name.name(), number.doubleValue(), Double::sum);
				}
			}
		}
		sums.forEach((name, value) -> result("sum." + name, String.format(java.util.Locale.ROOT, "%.0f", value)));
		double total;
		if (memory != null) {
			// Memtables are charged to the shared cache; each store reports the shared cache's usage.
			result("sharedCacheUsage", memory.usage());
			result("sharedCachePinnedUsage", memory.pinnedUsage());
			total = memory.usage() + sums.getOrDefault("estimate-table-readers-mem", 0.0);
		}
		else {
			total = sums.getOrDefault("block-cache-usage", 0.0) + sums.getOrDefault("size-all-mem-tables", 0.0)
					+ sums.getOrDefault("estimate-table-readers-mem", 0.0);
		}
		return (long) total;
	}

	/**
	 * Memory the JVM itself has committed (heap, metaspace, code, threads, GC, direct
	 * buffers), from Native Memory Tracking; RocksDB's allocations are not in it.
	 */
	private static long jvmCommittedKb() {
		try {
			Object summary = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
						new Object[] { new String[] { "summary" } }, new String[] { String[].class.getName() });
			Matcher matcher = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(summary.toString());
			return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
		}
		catch (Exception ex) {
			return -1;
		}
	}

	/** CPU time of the whole process (all threads, RocksDB's included) from /proc/self/stat. */
	private static double cpuSeconds() {
		try {
			String stat = Files.readString(Path.of("/proc/self/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	static String key(long i) {
		return "key-" + i;
	}

	private static long processed(String processor) {
		return PROCESSED.computeIfAbsent(processor, (name) -> new AtomicLong()).get();
	}

	private static void result(String key, Object value) {
		System.out.println("RESULT " + key + "=" + value);
	}

	static long statusKb(Path status, String field) {
		try {
			for (String line : Files.readAllLines(status)) {
				if (line.startsWith(field + ":")) {
					return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// The process has exited.
		}
		return 0;
	}

	private static KStream<String, String> input(StreamsBuilder builder, String processor) {
		AtomicLong counter = PROCESSED.computeIfAbsent(processor, (name) -> new AtomicLong());
		return builder.stream(RocksDbMemoryBenchmark.INPUT, Consumed.with(Serdes.String(), Serdes.String()))
			.peek((key, value) -> counter.incrementAndGet());
	}

	private static <V> Materialized<String, V, KeyValueStore<Bytes, byte[]>> store(String name,
			org.apache.kafka.common.serialization.Serde<V> valueSerde) {
		// No changelogs: the benchmark measures RocksDB, not the broker.
		return Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(name)
			.withKeySerde(Serdes.String())
			.withValueSerde(valueSerde)
			.withLoggingDisabled();
	}

	@StreamProcessor("counts")
	static class Counts {

		void topology(StreamsBuilder builder) {
			KGroupedStream<String, String> grouped = input(builder, "counts").groupByKey();
			grouped.count(store("counts-count", Serdes.Long()));
			grouped.aggregate(() -> 0L, (key, value, total) -> total + value.length(),
					store("counts-bytes", Serdes.Long()));
			grouped.reduce((previous, latest) -> latest, store("counts-latest", Serdes.String()));
		}

	}

	@StreamProcessor("profiles")
	static class Profiles {

		void topology(StreamsBuilder builder) {
			KStream<String, String> input = input(builder, "profiles");
			KGroupedStream<String, String> grouped = input.mapValues((value) -> value.toUpperCase()).groupByKey();
			grouped.aggregate(() -> "", (key, value, first) -> first.isEmpty() ? value : first,
					store("profiles-first", Serdes.String()));
			grouped.aggregate(() -> 0L, (key, value, longest) -> Math.max(longest, value.length()),
					store("profiles-longest", Serdes.Long()));
			input.toTable(store("profiles-table", Serdes.String()));
		}

	}

}
