package dev.tributary.benchmarks.rocksdb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.tributary.devbroker.DevBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Resident memory and throughput of several stateful processors with several RocksDB
 * stores each, with {@code tributary.rocksdb.total-off-heap-memory} unset (Kafka
 * Streams' defaults) and set, in one run.
 *
 * <p>This driver process runs the broker and loads the input topic; each measured
 * configuration runs in a child JVM ({@link BenchmarkApplication}) whose resident set
 * ({@code VmRSS} in {@code /proc/<pid>/status}) the driver samples, and which reports
 * its own peak ({@code VmHWM}), CPU time and JVM memory (Native Memory Tracking). The
 * configurations alternate for {@code --rounds}, so that load from other processes on
 * the machine falls on both.
 *
 * <p>Each configuration runs with the C library's malloc and, where jemalloc is installed,
 * again with jemalloc preloaded ({@code unbounded+jemalloc}, {@code bounded+jemalloc}):
 * the allocator decides how much freed RocksDB memory the process keeps.
 *
 * <p>Options, all optional: {@code --records=1500000 --partitions=4 --value-bytes=100
 * --heap=512m --budget=256MB --lookups=50000 --rounds=2 --jemalloc=<path of
 * libjemalloc.so.2, found in the usual places by default>
 * --malloc-conf=background_thread:true,narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0} (jemalloc's
 * options for the jemalloc runs; empty for its defaults); for experiments also
 * {@code --runs=unbounded,bounded,unbounded+jemalloc,bounded+jemalloc},
 * {@code --bounded-args="--tributary.rocksdb.x=y ..."} (or {@code --unbounded-args}) and
 * {@code --child-env="NAME=value ..."}.
 */
public final class RocksDbMemoryBenchmark {

	static final String INPUT = "bench-input";

	private RocksDbMemoryBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("child")) {
			BenchmarkApplication.main(args);
			return;
		}
		Map<String, String> options = options(args);
		long records = Long.parseLong(options.getOrDefault("records", "1500000"));
		int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
		int valueBytes = Integer.parseInt(options.getOrDefault("value-bytes", "100"));
		String heap = options.getOrDefault("heap", "512m");
		String budget = options.getOrDefault("budget", "256MB");
		String lookups = options.getOrDefault("lookups", "50000");

		Path work = Files.createTempDirectory("tributary-rocksdb-benchmark");
		try (DevBroker broker = DevBroker.start(0, work.resolve("broker"), partitions)) {
			broker.createTopics(List.of(INPUT));
			long loadStart = System.nanoTime();
			load(broker.bootstrapServers(), records, valueBytes);
			System.out.printf(Locale.ROOT, "Loaded %,d records (%d partitions, %d-byte values) in %.1f s%n", records,
					partitions, valueBytes, (System.nanoTime() - loadStart) / 1e9);

			List<Map<String, String>> results = new ArrayList<>();
			String jemalloc = options.containsKey("jemalloc") ? options.get("jemalloc") : findJemalloc();
			// What docs/rocksdb.md recommends: return freed memory within a second.
			String mallocConf = options.getOrDefault("malloc-conf",
					"background_thread:true,narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0");
			String defaultRuns = (jemalloc != null) ? "unbounded,bounded,unbounded+jemalloc,bounded+jemalloc"
					: "unbounded,bounded";
			if (jemalloc == null) {
				System.out.println("jemalloc not found (Debian/Ubuntu package libjemalloc2, or --jemalloc=<path>): "
						+ "measuring with the C library's malloc only");
			}
			List<String> runs = List.of(options.getOrDefault("runs", defaultRuns).split(","));
			int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
			for (int round = 1; round <= rounds; round++) {
			for (String run : runs) {
				boolean bounded = run.startsWith("bounded");
				String configuration = bounded ? "bounded" : "unbounded";
				List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms" + heap, "-Xmx" + heap,
						"-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-XX:NativeMemoryTracking=summary", "-jar",
						jarPath(), "child", "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
						"--tributary.streams.state.dir=" + work.resolve("state-" + round),
						"--benchmark.run=" + run, "--benchmark.records=" + records, "--benchmark.lookups=" + lookups,
						"--spring.application.name=bench-" + run.replace('+', '-') + "-" + round));
				if (bounded) {
					command.add("--tributary.rocksdb.total-off-heap-memory=" + budget);
				}
				if (options.containsKey(configuration + "-args")) {
					command.addAll(List.of(options.get(configuration + "-args").split(" ")));
				}
				Map<String, String> environment = new LinkedHashMap<>();
				if (run.endsWith("+jemalloc")) {
					if (jemalloc == null) {
						throw new IllegalArgumentException(run + " needs jemalloc: install libjemalloc2 or pass --jemalloc=<path>");
					}
					environment.put("LD_PRELOAD", jemalloc);
					if (!mallocConf.isEmpty()) {
						environment.put("MALLOC_CONF", mallocConf);
					}
				}
				if (options.containsKey("child-env")) {
					for (String pair : options.get("child-env").split(" ")) {
						environment.put(pair.split("=", 2)[0], pair.split("=", 2)[1]);
					}
				}
				Map<String, String> result = runChild(command, environment);
				result.put("run", run);
				result.put("heap", heap);
				result.put("budget", bounded ? budget : "none");
				result.put("round", Integer.toString(round));
				results.add(result);
				deleteRecursively(work.resolve("state-" + round));
			}
			}
			report(results, records, partitions, valueBytes, mallocConf);
		}
		finally {
			deleteRecursively(work);
		}
	}

	private static void load(String bootstrapServers, long records, int valueBytes) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class, ProducerConfig.LINGER_MS_CONFIG,
				20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.ACKS_CONFIG, "1");
		Random random = new Random(42);
		char[] value = new char[valueBytes];
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
			for (long i = 0; i < records; i++) {
				for (int c = 0; c < valueBytes; c++) {
					value[c] = (char) ('a' + random.nextInt(26));
				}
				producer.send(new ProducerRecord<>(INPUT, BenchmarkApplication.key(i), new String(value)));
			}
			producer.flush();
		}
	}

	/**
	 * Runs one configuration in a child JVM, sampling its resident set every 100 ms and
	 * collecting the {@code RESULT key=value} lines it prints.
	 */
	private static Map<String, String> runChild(List<String> command, Map<String, String> environment)
			throws Exception {
		System.out.println("Running: " + environment + " " + String.join(" ", command));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		Map<String, String> result = new LinkedHashMap<>();
		AtomicLong peakRssKb = new AtomicLong();
		Thread sampler = new Thread(() -> {
			Path status = Path.of("/proc", Long.toString(process.pid()), "status");
			while (process.isAlive()) {
				long rss = BenchmarkApplication.statusKb(status, "VmRSS");
				peakRssKb.accumulateAndGet(rss, Math::max);
				// A sampling interval, not a wait for a condition.
				java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
				if (Thread.currentThread().isInterrupted()) {
					return;
				}
			}
		}, "rss-sampler");
		sampler.setDaemon(true);
		sampler.start();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("RESULT ")) {
					String[] pair = line.substring(7).split("=", 2);
					result.put(pair[0], pair[1]);
				}
				System.out.println("  | " + line);
			}
		}
		if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException("The benchmark child failed: " + command);
		}
		sampler.join();
		result.put("sampledPeakRssKb", Long.toString(peakRssKb.get()));
		return result;
	}

	private static void report(List<Map<String, String>> results, long records, int partitions, int valueBytes,
			String mallocConf) {
		System.out.println();
		System.out.printf(Locale.ROOT,
				"RocksDB memory benchmark: 2 processors x 3 stores x %d partitions (%d RocksDB instances), "
						+ "%,d distinct keys per store, %d-byte values%n",
				partitions, 6 * partitions, records, valueBytes);
		System.out.printf(Locale.ROOT, "%-18s %5s %6s %7s %9s %9s %9s %9s %9s %9s %10s %9s %9s%n", "run", "round",
				"heap", "budget", "peak RSS", "sampled", "JVM NMT", "RocksDB", "outside", "records/s", "CPU s/1M",
				"lookups/s", "baseline");
		for (Map<String, String> r : results) {
			double peakMb = kbToMb(r.get("vmHwmKb"));
			double jvmMb = kbToMb(r.get("endJvmCommittedKb"));
			double rocksDbMb = Double.parseDouble(r.get("rocksDbReportedBytes")) / (1024 * 1024);
			double cpuPerMillion = Double.parseDouble(r.get("processCpuSeconds")) / (2.0 * records / 1e6);
			System.out.printf(Locale.ROOT,
					"%-18s %5s %6s %7s %6.0f MB %6.0f MB %6.0f MB %6.0f MB %6.0f MB %,9.0f %10.1f %,9.0f %6.0f MB%n",
					r.get("run"), r.get("round"), r.get("heap"), r.get("budget"), peakMb,
					kbToMb(r.get("sampledPeakRssKb")), jvmMb, rocksDbMb,
					peakMb - jvmMb - rocksDbMb, Double.parseDouble(r.get("recordsPerSecond")), cpuPerMillion,
					Double.parseDouble(r.get("lookupsPerSecond")), kbToMb(r.get("baselineRssKb")));
		}
		System.out.println("peak RSS: VmHWM of the child before it closes; sampled: highest VmRSS the driver saw, shutdown included; JVM NMT: memory the JVM committed (heap included), by Native "
				+ "Memory Tracking at the end; RocksDB: what RocksDB reports holding (block caches, memtables, table "
				+ "readers); outside: the rest (RocksDB allocations it does not count, allocator fragmentation); "
				+ "CPU s/1M: child CPU seconds (all threads) per million records processed; baseline: RSS before any "
				+ "store opened.");
		Map<String, List<Map<String, String>>> byRun = new LinkedHashMap<>();
		results.forEach((r) -> byRun.computeIfAbsent(r.get("run"), (k) -> new ArrayList<>()).add(r));
		for (String allocator : List.of("", "+jemalloc")) {
			List<Map<String, String>> bounded = byRun.get("bounded" + allocator);
			List<Map<String, String>> unbounded = byRun.get("unbounded" + allocator);
			if (bounded == null || unbounded == null) {
				continue;
			}
			System.out.println(allocator.isEmpty() ? "With the C library's malloc:"
					: "With jemalloc (MALLOC_CONF=" + mallocConf + "):");
			Map<String, String> worst = bounded.stream()
				.max(java.util.Comparator.comparingDouble((r) -> kbToMb(r.get("vmHwmKb"))))
				.orElseThrow();
			double heapMb = parseSizeKb(worst.get("heap")) / 1024.0;
			double budgetMb = parseSizeKb(worst.get("budget")) / 1024.0;
			double peakMb = kbToMb(worst.get("vmHwmKb"));
			double jvmNonHeapMb = kbToMb(worst.get("endJvmCommittedKb")) - heapMb;
			System.out.printf(Locale.ROOT,
					"  Bounded, highest peak: RSS %.0f MB = heap %.0f MB + budget %.0f MB + %.0f MB (JVM non-heap "
							+ "%.0f MB, the rest %.0f MB)%n",
					peakMb, heapMb, budgetMb, peakMb - heapMb - budgetMb, jvmNonHeapMb,
					peakMb - heapMb - budgetMb - jvmNonHeapMb);
			double unboundedPeakMb = unbounded.stream()
				.mapToDouble((r) -> kbToMb(r.get("vmHwmKb")))
				.max()
				.orElseThrow();
			System.out.printf(Locale.ROOT, "  Unbounded, highest peak: RSS %.0f MB = heap %.0f MB + %.0f MB%n",
					unboundedPeakMb, heapMb, unboundedPeakMb - heapMb);
			System.out.printf(Locale.ROOT,
					"  Throughput bounded/unbounded: best wall-clock %.1f%%, CPU per record (lower is better) %.1f%%%n",
					100.0 * best(bounded, "recordsPerSecond") / best(unbounded, "recordsPerSecond"),
					100.0 * mean(bounded, "processCpuSeconds") / mean(unbounded, "processCpuSeconds"));
		}
	}

	/** Where Debian, Ubuntu, Fedora and source builds put jemalloc; {@code null} if none. */
	private static String findJemalloc() {
		for (String candidate : List.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
				"/usr/lib/aarch64-linux-gnu/libjemalloc.so.2", "/usr/lib64/libjemalloc.so.2",
				"/usr/local/lib/libjemalloc.so.2")) {
			if (Files.isReadable(Path.of(candidate))) {
				return candidate;
			}
		}
		return null;
	}

	private static double best(List<Map<String, String>> results, String key) {
		return results.stream().mapToDouble((r) -> Double.parseDouble(r.get(key))).max().orElseThrow();
	}

	private static double mean(List<Map<String, String>> results, String key) {
		return results.stream().mapToDouble((r) -> Double.parseDouble(r.get(key))).average().orElseThrow();
	}

	private static double kbToMb(String kb) {
		return Long.parseLong(kb) / 1024.0;
	}

	static long parseSizeKb(String size) {
		String s = size.trim().toUpperCase(Locale.ROOT).replace("B", "");
		long multiplier = switch (s.charAt(s.length() - 1)) {
			case 'K' -> 1;
			case 'M' -> 1024;
			case 'G' -> 1024 * 1024;
			default -> 0;
		};
		if (multiplier == 0) {
			return Long.parseLong(s) / 1024;
		}
		return Long.parseLong(s.substring(0, s.length() - 1)) * multiplier;
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				String[] pair = arg.substring(2).split("=", 2);
				options.put(pair[0], pair[1]);
			}
		}
		return options;
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static String jarPath() {
		return Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0])
			.toAbsolutePath()
			.toString();
	}

	private static void deleteRecursively(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (var paths = Files.walk(root)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

}
