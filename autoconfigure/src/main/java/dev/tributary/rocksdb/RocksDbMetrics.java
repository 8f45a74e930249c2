package dev.tributary.rocksdb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

import dev.tributary.rocksdb.RocksDbStores.StoreId;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer gauges for the RocksDB stores: the shared block cache's capacity, usage
 * and pinned usage, and per store (tagged {@code processor} and {@code store}) and in
 * total the memtable size, estimated number of keys and pending compaction bytes.
 *
 * <p>Per-store values are read from the RocksDB properties Kafka Streams already
 * exposes as metrics (recording level {@code INFO}), summed over the store's tasks and
 * segments in this instance. A store's gauges are registered the first time it opens.
 * Nothing is registered unless {@code tributary.rocksdb.*} is configured, since only
 * then does Tributary configure, and so learn of, the stores.
 */
public final class RocksDbMetrics implements MeterBinder {

	static final String STATE_GROUP = "stream-state-metrics";

	static final String MEMTABLE_SIZE = "cur-size-all-mem-tables";

	static final String ESTIMATED_KEYS = "estimate-num-keys";

	static final String PENDING_COMPACTION = "estimate-pending-compaction-bytes";

	private final RocksDbStores stores;

	private final ProcessorRegistry processors;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	/**
	 * Creates the binder.
	 * @param stores the stores to report
	 * @param processors the processors, whose Kafka Streams metrics hold the per-store
	 * values
	 */
	public RocksDbMetrics(RocksDbStores stores, ProcessorRegistry processors) {
		this.stores = stores;
		this.processors = processors;
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
		bytes(registry, "tributary.rocksdb.memtable.size", "Size of the memtables of all stores", this,
				(m) -> m.total(MEMTABLE_SIZE));
		Gauge.builder("tributary.rocksdb.estimated-keys", this, (m) -> m.total(ESTIMATED_KEYS))
			.description("Estimated number of keys in all stores")
			.baseUnit("keys")
			.register(registry);
		bytes(registry, "tributary.rocksdb.compaction.pending", "Estimated bytes all stores have yet to compact",
				this, (m) -> m.total(PENDING_COMPACTION));
		Gauge.builder("tributary.rocksdb.open-instances", this.stores, (s) -> s.openStores().size())
			.description("Open RocksDB instances: stores and segments of window and session stores")
			.register(registry);
		this.stores.seenStores().forEach((store) -> registerStoreGauges(registry, store));
	}

	private void registerStoreGauges(StoreId store) {
		this.registries.forEach((registry) -> registerStoreGauges(registry, store));
	}

	private void registerStoreGauges(MeterRegistry registry, StoreId store) {
		Tags tags = Tags.of("processor", store.processor(), "store", store.store());
		Gauge.builder("tributary.rocksdb.store.memtable.size", this, (m) -> m.ofStore(store, MEMTABLE_SIZE))
			.description("Size of the store's memtables")
			.baseUnit(BaseUnits.BYTES)
			.tags(tags)
			.register(registry);
		Gauge.builder("tributary.rocksdb.store.estimated-keys", this, (m) -> m.ofStore(store, ESTIMATED_KEYS))
			.description("Estimated number of keys in the store")
			.baseUnit("keys")
			.tags(tags)
			.register(registry);
		Gauge.builder("tributary.rocksdb.store.compaction.pending", this, (m) -> m.ofStore(store, PENDING_COMPACTION))
			.description("Estimated bytes the store has yet to compact")
			.baseUnit(BaseUnits.BYTES)
			.tags(tags)
			.register(registry);
	}

	private static <T> void bytes(MeterRegistry registry, String name, String description, T object,
			ToDoubleFunction<T> value) {
		Gauge.builder(name, object, value).description(description).baseUnit(BaseUnits.BYTES).register(registry);
	}

	private double total(String metric) {
		double total = 0;
		for (ManagedProcessor processor : this.processors.processors()) {
			total += storeValues(processor, metric).values().stream().mapToDouble(Double::doubleValue).sum();
		}
		return total;
	}

	private double ofStore(StoreId store, String metric) {
		return this.processors.find(store.processor())
			.map((processor) -> storeValues(processor, metric).getOrDefault(store.store(), 0.0))
			.orElse(0.0);
	}

	/**
	 * Sums one RocksDB metric per store over the tasks of a processor's current
	 * {@code KafkaStreams}.
	 */
	private static Map<String, Double> storeValues(ManagedProcessor processor, String metric) {
		Map<String, Double> values = new HashMap<>();
		KafkaStreams streams = processor.kafkaStreams().orElse(null);
		if (streams == null) {
			return values;
		}
		for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
			MetricName name = entry.getKey();
			if (!metric.equals(name.name()) || !STATE_GROUP.equals(name.group())) {
				continue;
			}
			String store = rocksDbStoreName(name.tags());
			if (store != null && value(entry.getValue()) instanceof Number number) {
				values.merge(store, number.doubleValue(), Double::sum);
			}
		}
		return values;
	}

	private static @Nullable Object value(Metric metric) {
		try {
			return metric.metricValue();
		}
		catch (RuntimeException ex) {
			// The store closed while it was read, as tasks migrate: it counts no more here.
			return null;
		}
	}

	/** Kafka Streams tags RocksDB store metrics {@code rocksdb-<type>-state-id}. */
	private static @Nullable String rocksDbStoreName(Map<String, String> tags) {
		for (Map.Entry<String, String> tag : tags.entrySet()) {
			if (tag.getKey().startsWith("rocksdb-") && tag.getKey().endsWith("-state-id")) {
				return tag.getValue();
			}
		}
		return null;
	}

}
