package dev.tributary.rocksdb;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.tributary.rocksdb.RocksDbStores.StoreId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Micrometer gauges for the RocksDB stores: the shared block cache's capacity, usage
 * and pinned usage, the memtable limit, and the open RocksDB instances in total and per
 * store (tagged {@code processor} and {@code store}).
 *
 * <p>Safe by construction: the only native memory a gauge reads is the shared cache,
 * through {@link SharedRocksDbMemory}, under the lock its {@code close()} takes. No
 * gauge reads a store's RocksDB instance: Kafka Streams closes those as tasks migrate,
 * Tributary never sees their handles, and Kafka Streams' own RocksDB property metrics
 * read them without a lock against that close (a read of a closed RocksDB instance
 * crashes the JVM); {@link #denyKafkaRocksDbPropertyMetrics()} keeps those out of
 * Micrometer.
 * A scrape costs two native reads however many stores are open. Nothing is registered
 * unless {@code tributary.rocksdb.*} is configured, since only then does Tributary
 * configure, and so learn of, the stores.
 */
public final class RocksDbMetrics implements MeterBinder {

	/**
	 * Kafka Streams' metrics that read a property of a store's RocksDB instance when
	 * read, as Micrometer's Kafka binder names them.
	 */
	private static final Set<String> KAFKA_PROPERTY_METRICS = Stream
		.of("num-entries-active-mem-table", "num-deletes-active-mem-table", "num-entries-imm-mem-tables",
				"num-deletes-imm-mem-tables", "num-immutable-mem-table", "cur-size-active-mem-table",
				"cur-size-all-mem-tables", "size-all-mem-tables", "mem-table-flush-pending", "num-running-flushes",
				"compaction-pending", "num-running-compactions", "estimate-pending-compaction-bytes",
				"total-sst-files-size", "live-sst-files-size", "num-live-versions", "block-cache-capacity",
				"block-cache-usage", "block-cache-pinned-usage", "estimate-num-keys", "estimate-table-readers-mem",
				"background-errors")
		.map((name) -> "kafka.stream.state." + name.replace('-', '.'))
		.collect(Collectors.toUnmodifiableSet());

	private final RocksDbStores stores;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	/**
	 * Creates the binder.
	 * @param stores the stores to report
	 */
	public RocksDbMetrics(RocksDbStores stores) {
		this.stores = stores;
		stores.addListener(this::registerStoreGauges);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (!this.stores.isActive()) {
			// Tributary does not configure RocksDB, so it does not learn of the stores.
			return;
		}
		this.registries.add(registry);
		SharedRocksDbMemory memory = this.stores.memory();
		if (memory != null) {
			bytes(registry, "tributary.rocksdb.block-cache.capacity", "Capacity of the block cache shared by all stores",
					memory, (m) -> m.isClosed() ? 0 : m.capacity());
			bytes(registry, "tributary.rocksdb.block-cache.usage",
					"Memory in the shared block cache: blocks and memtable reservations", memory,
					SharedRocksDbMemory::usage);
			bytes(registry, "tributary.rocksdb.block-cache.pinned-usage",
					"Memory in the shared block cache held by entries in use", memory, SharedRocksDbMemory::pinnedUsage);
			bytes(registry, "tributary.rocksdb.memtable.limit", "Memtable memory at which RocksDB flushes", memory,
					(m) -> m.isClosed() ? 0 : m.memtableLimit());
		}
		Gauge.builder("tributary.rocksdb.open-instances", this.stores, RocksDbStores::openInstanceCount)
			.description("Open RocksDB instances: stores and segments of window and session stores")
			.register(registry);
		this.stores.seenStores().forEach((store) -> registerStoreGauges(registry, store));
	}

	private void registerStoreGauges(StoreId store) {
		this.registries.forEach((registry) -> registerStoreGauges(registry, store));
	}

	private void registerStoreGauges(MeterRegistry registry, StoreId store) {
		Gauge.builder("tributary.rocksdb.store.open-instances", this.stores, (s) -> s.openInstanceCount(store))
			.description("Open RocksDB instances of the store: one per task, or per segment and task")
			.tags(Tags.of("processor", store.processor(), "store", store.store()))
			.register(registry);
	}

	/**
	 * A filter that keeps Kafka Streams' RocksDB property metrics (group
	 * {@code stream-state-metrics}: memtable sizes, estimated keys, SST file sizes, block
	 * cache usage and the like) out of Micrometer. Kafka Streams reads each from the
	 * store's RocksDB instance without a lock against the store's close, so a scrape
	 * racing a task migration can read a closed instance, which crashes the JVM. Kafka
	 * Streams' other store metrics (rates, latencies, statistics) are recorded values
	 * and stay.
	 * @return the filter
	 */
	public static MeterFilter denyKafkaRocksDbPropertyMetrics() {
		return MeterFilter.deny((id) -> KAFKA_PROPERTY_METRICS.contains(id.getName()));
	}

	private static <T> void bytes(MeterRegistry registry, String name, String description, T object,
			ToDoubleFunction<T> value) {
		Gauge.builder(name, object, value).description(description).baseUnit(BaseUnits.BYTES).register(registry);
	}

}
