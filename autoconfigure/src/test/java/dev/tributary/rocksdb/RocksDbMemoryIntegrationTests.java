package dev.tributary.rocksdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.rocksdb.RocksDbStores.OpenStore;
import dev.tributary.rocksdb.RocksDbStores.StoreId;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared RocksDB budget and per-store options with processors running against a
 * real in-process broker.
 */
class RocksDbMemoryIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final long BUDGET = 64L * 1024 * 1024;

	@TempDir
	Path stateDir;

	@Test
	void everyStoreOfEveryProcessorGetsTheSharedCacheAndItsOptions() throws Exception {
		String suffix = SharedBroker.unique("rocks");
		SharedBroker.createTopics("orders-" + suffix, "payments-" + suffix);
		ConfigurableApplicationContext context = start(suffix);
		SharedRocksDbMemory memory = context.getBean(SharedRocksDbMemory.class);
		RocksDbStores stores = context.getBean(RocksDbStores.class);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		context.getBean(RocksDbMetrics.class).bindTo(meters);
		try {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "orders", "payments");
			// Distinct keys, each written once: RocksDB's key estimate counts writes.
			SharedBroker.send("orders-" + suffix, List.of("a", "b", "c"));
			SharedBroker.send("payments-" + suffix, List.of("x", "y"));

			// Two partitions: two tasks per processor, each with its own RocksDB instances.
			Set<StoreId> expected = Set.of(new StoreId("orders", "order-counts"),
					new StoreId("orders", "order-latest"), new StoreId("orders", "order-windows"),
					new StoreId("payments", "payment-totals"), new StoreId("payments", "payment-latest"));
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(openStoreIds(stores)).isEqualTo(expected));
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(stores.openStores()
					.stream()
					.filter((store) -> !store.instance().equals(store.store())))
					.as("segments of the window store")
					.isNotEmpty());

			for (OpenStore store : stores.openStores()) {
				StoreOptions options = store.options();
				assertThat(options.bloomFilterBits()).as(store.toString()).isEqualTo(12.0);
				if (store.processor().equals("orders")) {
					assertThat(options.compression()).as(store.toString()).isEqualTo(Compression.ZSTD);
					assertThat(options.blockSize()).as(store.toString()).isEqualTo(16 * 1024L);
				}
				else {
					assertThat(options.compression()).as(store.toString()).isEqualTo(Compression.LZ4);
					assertThat(options.maxWriteBufferNumber()).as(store.toString())
						.isEqualTo(store.store().equals("payment-totals") ? 4 : null);
				}
			}
			// What RocksDB itself recorded when it opened each instance.
			List<Path> optionsFiles = optionsFiles();
			assertThat(optionsFiles).hasSizeGreaterThanOrEqualTo(stores.openStores().size());
			for (Path file : optionsFiles) {
				String text = Files.readString(file);
				String path = this.stateDir.relativize(file).toString();
				assertThat(text).as(path).contains("cache_index_and_filter_blocks=true")
					.contains("filter_policy=bloomfilter:12");
				if (path.contains("order-")) {
					assertThat(text).as(path).contains("compression=kZSTD").contains("block_size=16384");
				}
				else {
					assertThat(text).as(path).contains("compression=kLZ4Compression");
				}
				if (path.contains("payment-totals")) {
					assertThat(text).as(path).contains("max_write_buffer_number=4");
				}
			}

			// Every store uses a cache of the budget's size (Kafka Streams reads the
			// capacity from each RocksDB instance; 50MB each by default), and the setter
			// gave each the one shared instance.
			for (String processor : List.of("orders", "payments")) {
				KafkaStreams streams = registry.get(processor).kafkaStreams().orElseThrow();
				// A window store's task without segments yet has no cache to report.
				assertThat(storeMetric(streams, "block-cache-capacity").values()).filteredOn((capacity) -> capacity > 0)
					.hasSizeGreaterThanOrEqualTo(4)
					.containsOnly((double) BUDGET);
			}
			// One cache, not several of the same size: every store's RocksDB reports the
			// usage of the shared cache (memtable reservations included).
			await().atMost(TIMEOUT).untilAsserted(() -> {
				double shared = memory.usage();
				for (String processor : List.of("orders", "payments")) {
					KafkaStreams streams = registry.get(processor).kafkaStreams().orElseThrow();
					assertThat(storeMetric(streams, "block-cache-usage").values())
						.filteredOn((usage) -> usage > 0)
						.isNotEmpty()
						.containsOnly(shared);
				}
			});
			assertThat(stores.openStores()).allSatisfy((store) -> assertThat(store.memory()).isSameAs(memory));

			// Metrics per store and in total.
			assertThat(meters.get("tributary.rocksdb.block-cache.capacity").gauge().value()).isEqualTo(BUDGET);
			assertThat(meters.get("tributary.rocksdb.block-cache.usage").gauge().value()).isPositive();
			assertThat(meters.get("tributary.rocksdb.open-instances").gauge().value())
				.isEqualTo(stores.openStores().size());
			assertThat(meters.find("tributary.rocksdb.store.open-instances").gauges()).hasSize(5);
			// Two tasks, each with its own instance of the store.
			assertThat(meters.get("tributary.rocksdb.store.open-instances")
				.tags("processor", "payments", "store", "payment-totals")
				.gauge()
				.value()).isEqualTo(2);
			// Sizes per store are Kafka Streams' own metrics.
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(storeMetric(registry.get("orders").kafkaStreams().orElseThrow(),
						"estimate-num-keys")
					.entrySet()
					.stream()
					.filter((entry) -> entry.getKey().contains("order-counts"))
					.mapToDouble(Map.Entry::getValue)
					.sum()).isEqualTo(3.0));

			// Stopping and starting a processor closes and reopens its stores against
			// the same, still open, shared memory.
			List<OpenStore> payments = stores.openStores()
				.stream()
				.filter((store) -> store.processor().equals("payments"))
				.toList();
			assertThat(payments).allSatisfy((store) -> assertThat(store.filter().isOwningHandle()).isTrue());
			registry.stop("payments");
			assertThat(stores.openStores()).noneMatch((store) -> store.processor().equals("payments"));
			// What the setter created for each store was released with it.
			assertThat(payments).allSatisfy((store) -> assertThat(store.filter().isOwningHandle()).isFalse());
			assertThat(memory.isClosed()).isFalse();
			registry.start("payments");
			awaitRunning(registry, "payments");
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(openStoreIds(stores)).isEqualTo(expected));
			assertThat(context.getBean(SharedRocksDbMemory.class)).isSameAs(memory);
		}
		finally {
			context.close();
		}
		assertThat(stores.openStores()).isEmpty();
		assertThat(memory.isClosed()).isTrue();
		assertThat(memory.usage()).isZero();
	}

	@Test
	void metricsAreScrapedSafelyWhileAProcessorRestartsRepeatedly() throws Exception {
		String suffix = SharedBroker.unique("rocks");
		SharedBroker.createTopics("orders-" + suffix, "payments-" + suffix);
		ConfigurableApplicationContext context = start(suffix);
		// The application's registry: Tributary's RocksDB gauges and Kafka Streams' metrics
		// as far as Micrometer's KafkaStreamsMetrics binder has found them (without the
		// RocksDB property metrics). Two threads scrape it while the processor's stores
		// close and open again.
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		ExecutorService scrapers = Executors.newFixedThreadPool(2);
		AtomicBoolean restarting = new AtomicBoolean(true);
		try {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "orders", "payments");
			SharedBroker.send("orders-" + suffix, List.of("a", "b", "c", "d"));
			RocksDbStores stores = context.getBean(RocksDbStores.class);
			await().atMost(TIMEOUT).until(() -> stores.openInstanceCount() > 5);
			List<Future<Integer>> scrapes = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				scrapes.add(scrapers.submit(() -> scrapeWhile(meters, restarting)));
			}
			// Each restart closes every RocksDB instance of the processor and opens them again.
			for (int restart = 0; restart < 5; restart++) {
				registry.get("orders").restart(false);
				awaitRunning(registry, "orders");
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(meters.get("tributary.rocksdb.store.open-instances")
						.tags("processor", "orders", "store", "order-counts")
						.gauge()
						.value()).isEqualTo(2));
			}
			restarting.set(false);
			for (Future<Integer> scrape : scrapes) {
				assertThat(scrape.get(60, TimeUnit.SECONDS)).isPositive();
			}
			assertThat(meters.get("tributary.rocksdb.open-instances").gauge().value())
				.isEqualTo(stores.openInstanceCount());
			assertThat(registry.get("orders").lastUncaughtException()).isEmpty();
		}
		finally {
			restarting.set(false);
			scrapers.shutdownNow();
			context.close();
		}
	}

	/**
	 * Scrapes the meters of RocksDB stores until the restarts end, as often as possible,
	 * checking Tributary's gauges are possible. The meters are looked up again every
	 * hundred scrapes, as a restart replaces Kafka Streams' metrics.
	 */
	private static int scrapeWhile(MeterRegistry meters, AtomicBoolean restarting) {
		int scrapes = 0;
		List<Meter> storeMeters = List.of();
		while (restarting.get() && scrapes < 10_000_000) {
			if (scrapes % 100 == 0) {
				storeMeters = meters.getMeters()
					.stream()
					.filter((meter) -> meter.getId().getName().startsWith("tributary.rocksdb.")
							|| meter.getId().getName().startsWith("kafka.stream.state."))
					.toList();
			}
			for (Meter meter : storeMeters) {
				String name = meter.getId().getName();
				for (Measurement measurement : meter.measure()) {
					if (name.startsWith("tributary.rocksdb.")) {
						assertThat(measurement.getValue()).as(name).isBetween(0.0, 4.0 * BUDGET);
					}
				}
			}
			scrapes++;
		}
		return scrapes;
	}

	private static Set<StoreId> openStoreIds(RocksDbStores stores) {
		return stores.openStores()
			.stream()
			.map((store) -> new StoreId(store.processor(), store.store()))
			.collect(Collectors.toSet());
	}

	private static Map<String, Double> storeMetric(KafkaStreams streams, String name) {
		return streams.metrics()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().name().equals(name)
					&& entry.getKey().group().equals("stream-state-metrics"))
			.collect(Collectors.toMap((entry) -> entry.getKey().tags().toString(),
					(entry) -> ((Number) entry.getValue().metricValue()).doubleValue()));
	}

	private List<Path> optionsFiles() {
		try (Stream<Path> files = Files.walk(this.stateDir)) {
			// RocksDB keeps the latest OPTIONS file of each instance.
			return files.filter((file) -> file.getFileName().toString().startsWith("OPTIONS-"))
				.collect(Collectors.groupingBy(Path::getParent))
				.values()
				.stream()
				.map((perInstance) -> perInstance.stream().sorted().reduce((first, second) -> second).orElseThrow())
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private ConfigurableApplicationContext start(String suffix) {
		return new SpringApplicationBuilder(TestApplication.class, TwoStatefulProcessors.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=rocks-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.close-timeout=10s",
					"tributary.streams.default.key.serde=org.apache.kafka.common.serialization.Serdes$StringSerde",
					"tributary.streams.default.value.serde=org.apache.kafka.common.serialization.Serdes$StringSerde",
					"tributary.rocksdb.total-off-heap-memory=64MB",
					"tributary.rocksdb.memtable-share=0.25", "tributary.rocksdb.stores[*].bloom-filter-bits=12",
					"tributary.rocksdb.stores[order-*].compression=zstd",
					"tributary.rocksdb.stores[order-*].block-size=16KB",
					"tributary.rocksdb.stores[payment-*].compression=lz4",
					"tributary.rocksdb.stores[payment-totals].max-write-buffer-number=4")
			.run();
	}

	private static void awaitRunning(ProcessorRegistry registry, String... names) {
		for (String name : names) {
			await().atMost(TIMEOUT).until(() -> registry.get(name).state() == State.RUNNING);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

	@Import({ Orders.class, Payments.class })
	static class TwoStatefulProcessors {

	}

	@StreamProcessor("orders")
	static class Orders {

		private final String suffix;

		Orders(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			KStream<String, String> orders = builder.stream("orders-" + this.suffix,
					Consumed.with(Serdes.String(), Serdes.String()));
			orders.groupByKey().count(Materialized.as("order-counts"));
			orders.groupByKey().reduce((first, second) -> second, Materialized.as("order-latest"));
			orders.groupByKey()
				.windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
				.count(Materialized.as("order-windows"));
		}

	}

	@StreamProcessor("payments")
	static class Payments {

		private final String suffix;

		Payments(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			KStream<String, String> payments = builder.stream("payments-" + this.suffix,
					Consumed.with(Serdes.String(), Serdes.String()));
			payments.groupByKey()
				.aggregate(() -> 0L, (key, value, total) -> total + value.length(),
						Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("payment-totals")
							.withValueSerde(Serdes.Long()));
			payments.toTable(Materialized.as("payment-latest"));
		}

	}

}
