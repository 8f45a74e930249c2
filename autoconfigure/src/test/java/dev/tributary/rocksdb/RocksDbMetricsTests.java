package dev.tributary.rocksdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RocksDB gauges, scraped while stores open and close, without Kafka.
 */
class RocksDbMetricsTests {

	private static final long BUDGET = 16L * 1024 * 1024;

	@TempDir
	Path dataDir;

	@Test
	void aScrapeReadsTheSharedCacheTwiceHoweverManyStoresAreOpen() {
		SharedRocksDbMemory memory = new SharedRocksDbMemory(BUDGET, 0.5, 0.1, false);
		RocksDbStores stores = new RocksDbStores(memory, Map.of());
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new RocksDbMetrics(stores).bindTo(meters);
		List<TributaryRocksDbConfigSetter> setters = new ArrayList<>();
		List<Options> options = new ArrayList<>();
		try {
			for (int storeCount : List.of(10, 100, 400)) {
				while (setters.size() < storeCount) {
					setters.add(open(stores, "processor-" + (setters.size() % 4), "store-" + setters.size(), options));
				}
				long before = memory.nativeReads();
				scrape(meters);
				assertThat(memory.nativeReads() - before).as("native reads with %d stores", storeCount)
					.isEqualTo(2);
				assertThat(meters.find("tributary.rocksdb.store.open-instances").gauges()).hasSize(storeCount);
				assertThat(meters.get("tributary.rocksdb.open-instances").gauge().value()).isEqualTo(storeCount);
				assertThat(meters.get("tributary.rocksdb.store.open-instances")
					.tags("processor", "processor-1", "store", "store-1")
					.gauge()
					.value()).isEqualTo(1);
			}
		}
		finally {
			close(setters, options);
			memory.close();
		}
		assertThat(meters.get("tributary.rocksdb.open-instances").gauge().value()).isZero();
	}

	@Test
	void gaugesStaySaneWhileStoresOpenAndCloseAndTheSharedMemoryCloses() throws Exception {
		SharedRocksDbMemory memory = new SharedRocksDbMemory(BUDGET, 0.5, 0.1, false);
		RocksDbStores stores = new RocksDbStores(memory, Map.of("*", new StoreOptions(null, null, 10.0, null)));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new RocksDbMetrics(stores).bindTo(meters);
		int openers = 2;
		int scrapers = 4;
		ExecutorService pool = Executors.newFixedThreadPool(openers + scrapers);
		AtomicBoolean opening = new AtomicBoolean(true);
		CountDownLatch started = new CountDownLatch(scrapers);
		try {
			List<Future<Integer>> scrapes = new ArrayList<>();
			for (int scraper = 0; scraper < scrapers; scraper++) {
				scrapes.add(pool.submit(() -> scrapeUntilDone(meters, opening, started)));
			}
			started.await(30, TimeUnit.SECONDS);
			List<Future<Integer>> opens = new ArrayList<>();
			for (int opener = 0; opener < openers; opener++) {
				String name = "opener-" + opener;
				opens.add(pool.submit(() -> openWriteAndClose(stores, name, 30)));
			}
			int opened = 0;
			for (Future<Integer> open : opens) {
				opened += open.get(120, TimeUnit.SECONDS);
			}
			// The shared memory closes while the scrapers still read it.
			memory.close();
			opening.set(false);
			int scraped = 0;
			for (Future<Integer> scrape : scrapes) {
				scraped += scrape.get(120, TimeUnit.SECONDS);
			}
			assertThat(opened).isEqualTo(openers * 30);
			assertThat(scraped).isPositive();
		}
		finally {
			opening.set(false);
			pool.shutdownNow();
			memory.close();
		}
		assertThat(meters.get("tributary.rocksdb.block-cache.usage").gauge().value()).isZero();
		assertThat(meters.get("tributary.rocksdb.open-instances").gauge().value()).isZero();
	}

	/** Opens a real RocksDB per round through the config setter, as Kafka Streams does. */
	private int openWriteAndClose(RocksDbStores stores, String name, int rounds) throws Exception {
		int opened = 0;
		for (int round = 0; round < rounds; round++) {
			TributaryRocksDbConfigSetter setter = new TributaryRocksDbConfigSetter();
			Options options = RocksDbStoresTests.kafkaStreamsOptions().setCreateIfMissing(true);
			String store = name + "-store-" + (round % 3);
			setter.setConfig(store, options, configs(stores, name));
			try (RocksDB db = RocksDB.open(options, this.dataDir.resolve(store).toString())) {
				for (int key = 0; key < 200; key++) {
					db.put(("key-" + key).getBytes(), new byte[1024]);
				}
				opened++;
			}
			finally {
				// Kafka Streams calls the setter's close before it closes the RocksDB instance;
				// here after, so the instance may still charge memtables to the cache.
				setter.close(store, options);
				options.close();
			}
		}
		return opened;
	}

	private static int scrapeUntilDone(SimpleMeterRegistry meters, AtomicBoolean opening, CountDownLatch started) {
		started.countDown();
		int scrapes = 0;
		// Bounded: the openers finish in well under this many scrapes' time.
		while ((opening.get() || scrapes < 10) && scrapes < 5_000_000) {
			for (Meter meter : meters.getMeters()) {
				if (meter instanceof Gauge gauge) {
					double value = gauge.value();
					String name = meter.getId().getName();
					assertThat(value).as(name).isGreaterThanOrEqualTo(0);
					if (name.equals("tributary.rocksdb.block-cache.pinned-usage")) {
						// Memtables of two writers and the blocks they use: far below the budget.
						assertThat(value).as(name).isLessThanOrEqualTo(BUDGET);
					}
					if (name.endsWith("open-instances")) {
						assertThat(value).as(name).isLessThanOrEqualTo(2);
					}
				}
			}
			scrapes++;
		}
		return scrapes;
	}

	private static void scrape(SimpleMeterRegistry meters) {
		for (Meter meter : meters.getMeters()) {
			if (meter instanceof Gauge gauge) {
				gauge.value();
			}
		}
	}

	private static TributaryRocksDbConfigSetter open(RocksDbStores stores, String processor, String store,
			List<Options> options) {
		TributaryRocksDbConfigSetter setter = new TributaryRocksDbConfigSetter();
		Options storeOptions = RocksDbStoresTests.kafkaStreamsOptions();
		options.add(storeOptions);
		setter.setConfig(store, storeOptions, configs(stores, processor));
		return setter;
	}

	private static void close(List<TributaryRocksDbConfigSetter> setters, List<Options> options) {
		for (int i = 0; i < setters.size(); i++) {
			setters.get(i).close("store-" + i, options.get(i));
			options.get(i).close();
		}
	}

	private static Map<String, Object> configs(RocksDbStores stores, String processor) {
		return Map.of(RocksDbStores.CONFIG_KEY, stores, RocksDbStores.PROCESSOR_CONFIG_KEY, processor);
	}

}
