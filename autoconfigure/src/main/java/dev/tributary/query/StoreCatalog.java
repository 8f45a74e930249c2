package dev.tributary.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.jspecify.annotations.Nullable;

/**
 * The queryable stores of every processor, and what every instance must know of them the
 * same way: their key type (configuration, or the processor's {@code default.key.serde},
 * never the data), how their keys are partitioned, and where they sit in the topology.
 * The topology is walked once per start of a processor.
 */
final class StoreCatalog {

	private final ProcessorRegistry processors;

	private final KeyTypes keyTypes;

	private final BiFunction<String, String, @Nullable StreamPartitioner<Object, Object>> partitioners;

	// One layout per processor, for the topology it last started with (a start builds a
	// new description): found without a lock on every query.
	private final Map<String, Layout> layouts = new ConcurrentHashMap<>();

	StoreCatalog(ProcessorRegistry processors, KeyTypes keyTypes,
			BiFunction<String, String, @Nullable StreamPartitioner<Object, Object>> partitioners) {
		this.processors = processors;
		this.keyTypes = keyTypes;
		this.partitioners = partitioners;
	}

	/**
	 * A processor by name.
	 * @throws QueryException not found, naming the processors there are
	 */
	ManagedProcessor processor(String name) {
		return this.processors.find(name)
			.orElseThrow(() -> new QueryException(QueryException.Reason.NOT_FOUND, "No processor named '" + name + "'",
					"processors", this.processors.names()));
	}

	/**
	 * A queryable store of a running (or at least started) processor.
	 * @throws QueryException not found (processor or store), unavailable (the processor
	 * was never started or is stopped, so its stores are not known here), bad request (a
	 * global store)
	 */
	Store store(String processorName, String storeName) {
		ManagedProcessor processor = processor(processorName);
		TopologyDescription topology = processor.topology().orElse(null);
		if (topology == null || !processor.isStarted()) {
			throw QueryException.unavailable("Processor '" + processorName + "' "
					+ ((topology == null) ? "has not been started (tributary.processors." + processorName
							+ ".auto-startup is false, or its start failed)" : "is not running (it was stopped)")
					+ ": start it with POST /actuator/streams/" + processorName + " {\"action\":\"start\"}");
		}
		Layout layout = layout(processorName, topology);
		Store known = layout.resolved.get(storeName);
		if (known != null) {
			return known;
		}
		if (!layout.stores.contains(storeName)) {
			List<String> names = processor.storeNames();
			throw new QueryException(QueryException.Reason.NOT_FOUND,
					"Processor '" + processorName + "' has no store named '" + storeName + "'", "stores", names);
		}
		if (layout.globalStores.contains(storeName)) {
			// Kafka Streams' interactive queries v2 do not serve global stores.
			throw QueryException.badRequest(
					"Store '" + storeName + "' of processor '" + processorName
							+ "' is a global store, which this API cannot query; read it through KafkaStreams#store",
					"stores", layout.stores.stream().filter((name) -> !layout.globalStores.contains(name)).toList());
		}
		KeyTypes.Resolved keyType = this.keyTypes.resolve(processor, storeName);
		Store store = new Store(processor, storeName, keyType.type(), keyType.source(),
				this.partitioners.apply(processorName, storeName), layout.subtopologies.get(storeName),
				layout.sourceTopics.get(storeName));
		layout.resolved.putIfAbsent(storeName, store);
		return store;
	}

	/**
	 * Every processor, for describing their stores.
	 */
	List<ManagedProcessor> processors() {
		return this.processors.processors();
	}

	/**
	 * The key type of a store as every instance sees it.
	 * @throws QueryException failed for a configured type that no key type has
	 */
	KeyTypes.Resolved keyType(ManagedProcessor processor, String store) {
		return this.keyTypes.resolve(processor, store);
	}

	private Layout layout(String processor, TopologyDescription topology) {
		Layout layout = this.layouts.get(processor);
		if (layout == null || layout.topology != topology) {
			layout = new Layout(topology);
			this.layouts.put(processor, layout);
		}
		return layout;
	}

	/**
	 * One store of a started processor, with what routing and local reads need.
	 *
	 * @param processor the processor
	 * @param name the store name
	 * @param keyType the key type
	 * @param keyTypeSource where the key type comes from, for describing
	 * @param partitioner the partitioner configured for routing, or {@code null} for
	 * Kafka's default (murmur2 of the serialized key)
	 * @param subtopologies the ids of the subtopologies that hold the store
	 * @param sourceTopics the source topics of those subtopologies (as the topology names
	 * them: internal topics without the application id)
	 */
	record Store(ManagedProcessor processor, String name, QueryKeyType<Object> keyType, String keyTypeSource,
			@Nullable StreamPartitioner<Object, Object> partitioner, Set<Integer> subtopologies,
			Set<String> sourceTopics) {

	}

	/**
	 * Where each store sits in a topology.
	 */
	private static final class Layout {

		private final TopologyDescription topology;

		// The stores resolved so far, so a query finds its store without resolving again.
		private final Map<String, Store> resolved = new ConcurrentHashMap<>();

		private final Set<String> stores = new TreeSet<>();

		private final Set<String> globalStores = new TreeSet<>();

		private final Map<String, Set<Integer>> subtopologies = new LinkedHashMap<>();

		private final Map<String, Set<String>> sourceTopics = new LinkedHashMap<>();

		Layout(TopologyDescription topology) {
			this.topology = topology;
			for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
				Set<String> sources = new TreeSet<>();
				Set<String> stores = new TreeSet<>();
				for (TopologyDescription.Node node : subtopology.nodes()) {
					if (node instanceof TopologyDescription.Processor processor) {
						stores.addAll(processor.stores());
					}
					if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
						sources.addAll(source.topicSet());
					}
				}
				for (String store : stores) {
					this.subtopologies.computeIfAbsent(store, (name) -> new TreeSet<>()).add(subtopology.id());
					this.sourceTopics.computeIfAbsent(store, (name) -> new TreeSet<>()).addAll(sources);
				}
				this.stores.addAll(stores);
			}
			for (TopologyDescription.GlobalStore global : topology.globalStores()) {
				this.globalStores.addAll(global.processor().stores());
			}
			this.stores.addAll(this.globalStores);
			this.subtopologies.replaceAll((store, ids) -> Set.copyOf(ids));
			this.sourceTopics.replaceAll((store, topics) -> Set.copyOf(topics));
		}

	}

}
