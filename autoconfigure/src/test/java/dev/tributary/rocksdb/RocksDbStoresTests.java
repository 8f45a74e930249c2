package dev.tributary.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

	private static final int ROUNDS = 100;

	private static final int OPENERS = 3;

	private static final int OPENS_PER_OPENER = 20;

	@Test
	void storesOpeningWhileTheSharedMemoryClosesEitherGetTheBudgetOrFailNamingTheClose() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
		int opened = 0;
		int refused = 0;
		try {
			for (int round = 0; round < ROUNDS; round++) {
				SharedRocksDbMemory memory = new SharedRocksDbMemory(BUDGET, 0.5, 0.1, false);
				RocksDbStores stores = new RocksDbStores(memory,
						Map.of("*", new StoreOptions(Compression.LZ4, 8192L, 10.0, null)));
				CountDownLatch go = new CountDownLatch(1);
				List<Future<int[]>> openers = new ArrayList<>();
				for (int opener = 0; opener < OPENERS; opener++) {
					String processor = "processor-" + opener;
					openers.add(pool.submit(() -> openAndClose(stores, processor, go)));
				}
				go.countDown();
				// Races the openers: each open reads the cache's native handle to build its
				// table factory, which close() frees.
				memory.close();
				for (Future<int[]> opener : openers) {
					int[] outcome = opener.get(30, TimeUnit.SECONDS);
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
		assertThat(opened + refused).isEqualTo(ROUNDS * OPENERS * OPENS_PER_OPENER);
		assertThat(refused).as("opens after the close").isPositive();
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

	private static int[] openAndClose(RocksDbStores stores, String processor, CountDownLatch go) throws Exception {
		go.await();
		int opened = 0;
		int refused = 0;
		for (int i = 0; i < OPENS_PER_OPENER; i++) {
			try (Options options = kafkaStreamsOptions()) {
				OpenStore store = stores.open(processor, "store-" + i, options);
				opened++;
				assertThat(store.memory()).isNotNull();
				assertThat(options.tableFormatConfig()).isInstanceOf(BlockBasedTableConfig.class);
				store.close();
			}
			catch (IllegalStateException ex) {
				assertThat(ex).hasMessageContaining("The shared RocksDB memory is closed");
				refused++;
			}
		}
		return new int[] { opened, refused };
	}

	/** Options as Kafka Streams prepares them before calling the config setter. */
	static Options kafkaStreamsOptions() {
		Options options = new Options();
		options.setTableFormatConfig(new BlockBasedTableConfig());
		return options;
	}

}
