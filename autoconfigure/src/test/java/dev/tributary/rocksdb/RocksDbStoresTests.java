package dev.tributary.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.tributary.rocksdb.RocksDbStores.OpenStore;
import dev.tributary.rocksdb.RocksDbStores.StoreId;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores opening and closing against the shared memory, without Kafka.
 */
class RocksDbStoresTests {

	private static final long BUDGET = 8L * 1024 * 1024;

	private static final int ROUNDS = 200;

	private static final int OPENERS = 3;

	@Test
	void storesOpeningWhileTheSharedMemoryClosesEitherGetTheBudgetOrFailNamingTheClose() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
		long opened = 0;
		long refused = 0;
		try {
			for (int round = 0; round < ROUNDS; round++) {
				SharedRocksDbMemory memory = new SharedRocksDbMemory(BUDGET, 0.5, 0.1, false);
				RocksDbStores stores = new RocksDbStores(memory,
						Map.of("*", new StoreOptions(Compression.LZ4, 8192L, 10.0, null)));
				AtomicLong opens = new AtomicLong();
				List<Future<long[]>> openers = new ArrayList<>();
				for (int opener = 0; opener < OPENERS; opener++) {
					String processor = "processor-" + opener;
					openers.add(pool.submit(() -> openAndCloseUntilRefused(stores, processor, opens)));
				}
				// Close while every opener is busy opening: each open reads the cache's
				// native handle to build its table factory, which close() frees.
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (opens.get() < OPENERS * 5L && System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				memory.close();
				for (Future<long[]> opener : openers) {
					long[] outcome = opener.get(30, TimeUnit.SECONDS);
					opened += outcome[0];
					refused += outcome[1];
				}
				assertThat(stores.openStores()).isEmpty();
				assertThat(stores.openInstanceCount()).isZero();
				assertThat(memory.usage()).isZero();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(opened).as("opens before the close").isGreaterThanOrEqualTo(ROUNDS * OPENERS * 5L);
		assertThat(refused).as("opens after the close").isEqualTo(ROUNDS * OPENERS);
	}

	@Test
	void countsOpenInstancesPerStoreAsSegmentsOpenAndClose() {
		RocksDbStores stores = new RocksDbStores(null, Map.of("*", new StoreOptions(null, null, null, 3)));
		stores.registerStoreNames("orders", List.of("order-windows", "order-counts"));
		List<OpenStore> open = new ArrayList<>();
		List<Options> options = new ArrayList<>();
		try {
			for (String instance : List.of("order-windows.1000", "order-windows.2000", "order-counts")) {
				Options storeOptions = kafkaStreamsOptions();
				options.add(storeOptions);
				open.add(stores.open("orders", instance, storeOptions));
			}
			StoreId windows = new StoreId("orders", "order-windows");
			assertThat(stores.openInstanceCount(windows)).isEqualTo(2);
			assertThat(stores.openInstanceCount(new StoreId("orders", "order-counts"))).isEqualTo(1);
			assertThat(stores.openInstanceCount()).isEqualTo(3);
			open.get(0).close();
			// Closing twice, as a config setter's close may be, counts once.
			open.get(0).close();
			assertThat(stores.openInstanceCount(windows)).isEqualTo(1);
			assertThat(stores.openInstanceCount(new StoreId("orders", "unknown"))).isZero();
		}
		finally {
			open.forEach(OpenStore::close);
			options.forEach(Options::close);
		}
		assertThat(stores.openInstanceCount()).isZero();
	}

	/** Opens and closes stores until the shared memory refuses one, at most 100,000. */
	private static long[] openAndCloseUntilRefused(RocksDbStores stores, String processor, AtomicLong opens) {
		long opened = 0;
		for (int i = 0; i < 100_000; i++) {
			try (Options options = kafkaStreamsOptions()) {
				OpenStore store = stores.open(processor, "store-" + i, options);
				opened++;
				opens.incrementAndGet();
				assertThat(store.memory()).isNotNull();
				assertThat(options.tableFormatConfig()).isInstanceOf(BlockBasedTableConfig.class);
				store.close();
			}
			catch (IllegalStateException ex) {
				assertThat(ex).hasMessageContaining("The shared RocksDB memory is closed");
				return new long[] { opened, 1 };
			}
		}
		return new long[] { opened, 0 };
	}

	/** Options as Kafka Streams prepares them before calling the config setter. */
	static Options kafkaStreamsOptions() {
		Options options = new Options();
		options.setTableFormatConfig(new BlockBasedTableConfig());
		return options;
	}

}
