package dev.tributary.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Which instance holds which partitions of a store, from Kafka Streams' metadata: the
 * owner of a key, and for a scan a plan in which every partition of the store is
 * answered by exactly one instance, or no plan at all.
 */
final class Instances {

	private final ApplicationServerAdvertiser advertiser;

	private final PartitionCounts partitionCounts;

	Instances(ApplicationServerAdvertiser advertiser, PartitionCounts partitionCounts) {
		this.advertiser = advertiser;
		this.partitionCounts = partitionCounts;
	}

	/**
	 * The address this instance advertises for a processor, {@code null} without a web
	 * server.
	 */
	@Nullable HostInfo self(ManagedProcessor processor) {
		return this.advertiser.advertised(processor.name());
	}

	String host(ManagedProcessor processor) {
		HostInfo self = self(processor);
		return (self != null) ? self.host() + ":" + self.port() : "local";
	}

	/**
	 * The processor's Kafka Streams, if it can answer queries.
	 * @throws QueryException unavailable when it is not running or rebalancing
	 */
	static KafkaStreams running(ManagedProcessor processor) {
		KafkaStreams streams = processor.kafkaStreams().orElse(null);
		if (streams == null || !processor.isStarted()) {
			throw QueryException.unavailable("Processor '" + processor.name() + "' is not running");
		}
		KafkaStreams.State state = streams.state();
		if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
			throw QueryException.unavailable("Processor '" + processor.name() + "' is " + state
					+ " and cannot answer queries yet");
		}
		return streams;
	}

	/**
	 * The partition of a key and who holds it.
	 * @throws QueryException unavailable while the metadata is not known
	 */
	Owner owner(StoreCatalog.Store store, KafkaStreams streams, Object key) {
		KeyQueryMetadata metadata = streams.queryMetadataForKey(store.name(), key, new Routing(store));
		HostInfo self = self(store.processor());
		if (self == null && (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata))) {
			// No member advertises an address, so Kafka Streams has no metadata to ask: find
			// the key's partition here; only this instance can answer anyway.
			int count = this.partitionCounts.countOfTopologyTopics(store.processor(), store.sourceTopics());
			Optional<Set<Integer>> partition = new Routing(store).partitions("", key, null, count);
			return new Owner(partition.orElseThrow().iterator().next(), null, List.of(), null);
		}
		if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.partition() < 0) {
			throw QueryException.unavailable("Processor '" + store.processor().name()
					+ "' is rebalancing: the owner of the key in store '" + store.name() + "' is not known yet");
		}
		HostInfo active = metadata.activeHost();
		boolean local = isUnknown(active) || active.equals(self)
				|| localActivePartitions(store, streams).contains(metadata.partition());
		return new Owner(metadata.partition(), local ? null : active, metadata.standbyHosts()
			.stream()
			.filter((host) -> !isUnknown(host))
			.toList(), self);
	}

	/**
	 * Who answers for each partition of a store in a scan: this instance for the active
	 * partitions it runs, the others for what the metadata says they hold.
	 * @throws QueryException unavailable when a partition has no instance that can be
	 * asked: mid-rebalance, or held by a member without {@code application.server}
	 */
	Plan plan(StoreCatalog.Store store, KafkaStreams streams) {
		SourcePartitions source = sourcePartitions(store, streams);
		Set<Integer> local = new TreeSet<>(localActivePartitions(store, streams));
		local.removeIf((partition) -> partition >= source.count());
		Map<HostInfo, Set<Integer>> remote = new LinkedHashMap<>();
		HostInfo self = self(store.processor());
		Set<Integer> covered = new TreeSet<>(local);
		if (self != null) {
			for (StreamsMetadata instance : streams.streamsMetadataForStore(store.name())) {
				HostInfo host = instance.hostInfo();
				if (host.equals(self) || isUnknown(host)) {
					continue;
				}
				for (TopicPartition partition : instance.topicPartitions()) {
					if (partition.topic().equals(source.topic()) && covered.add(partition.partition())) {
						remote.computeIfAbsent(host, (key) -> new TreeSet<>()).add(partition.partition());
					}
				}
			}
		}
		if (covered.size() < source.count()) {
			Set<Integer> missing = new TreeSet<>();
			for (int partition = 0; partition < source.count(); partition++) {
				if (!covered.contains(partition)) {
					missing.add(partition);
				}
			}
			throw QueryException.unavailable("Partitions " + missing + " of store '" + store.name()
					+ "' are held by no instance that can be asked right now (a rebalance is under way, or they are "
					+ "held by an instance that advertises no application.server)"
					+ ((self == null) ? "; this instance has no web server, so it answers for its own partitions only"
							: ""));
		}
		return new Plan(local, remote);
	}

	/**
	 * The partitions of the store's active tasks on this instance.
	 */
	static Set<Integer> localActivePartitions(StoreCatalog.Store store, KafkaStreams streams) {
		Set<Integer> partitions = new TreeSet<>();
		for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
			for (TaskMetadata task : thread.activeTasks()) {
				if (store.subtopologies().contains(task.taskId().subtopology())) {
					partitions.add(task.taskId().partition());
				}
			}
		}
		return partitions;
	}

	/**
	 * The source topic Kafka Streams routes a store's keys by (found with a partitioner
	 * that only listens: the same call that routes keys), and how many partitions it has,
	 * asked of the cluster.
	 */
	private SourcePartitions sourcePartitions(StoreCatalog.Store store, KafkaStreams streams) {
		Counting counting = new Counting();
		KeyQueryMetadata metadata = streams.queryMetadataForKey(store.name(), new Object(), counting);
		if (counting.topic == null && self(store.processor()) == null) {
			// No metadata without addresses: count the topology's source topics instead.
			return new SourcePartitions("",
					this.partitionCounts.countOfTopologyTopics(store.processor(), store.sourceTopics()));
		}
		if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || counting.topic == null) {
			throw QueryException.unavailable("Processor '" + store.processor().name()
					+ "' is rebalancing: the partitions of store '" + store.name() + "' are not known yet");
		}
		return new SourcePartitions(counting.topic, this.partitionCounts.count(store.processor(), counting.topic));
	}

	void close() {
		this.partitionCounts.close();
	}

	static boolean isUnknown(@Nullable HostInfo host) {
		return host == null || host.port() < 0 || HostInfo.unavailable().equals(host);
	}

	/**
	 * A key's partition and holders.
	 *
	 * @param partition the key's partition
	 * @param active the instance that holds it actively, {@code null} for this one
	 * @param standbys the instances that hold standby copies
	 * @param self this instance's address, {@code null} without a web server
	 */
	record Owner(int partition, @Nullable HostInfo active, java.util.List<HostInfo> standbys,
			@Nullable HostInfo self) {

	}

	/**
	 * Who answers for which partitions of a scan.
	 *
	 * @param local the partitions this instance answers for
	 * @param remote the partitions each other instance answers for
	 */
	record Plan(Set<Integer> local, Map<HostInfo, Set<Integer>> remote) {

	}

	private record SourcePartitions(String topic, int count) {

	}

	/**
	 * Finds a key's partition as the store's source topic was partitioned (murmur2 of the
	 * serialized key, or the configured partitioner), with the topic's real partition
	 * count: Kafka Streams passes the count of the partitions its metadata knows, too few
	 * while a member without {@code application.server} holds some. If the cluster cannot
	 * be asked, Kafka Streams' count is used.
	 */
	private final class Routing implements StreamPartitioner<Object, Object> {

		private final StoreCatalog.Store store;

		Routing(StoreCatalog.Store store) {
			this.store = store;
		}

		@Override
		public Optional<Set<Integer>> partitions(String topic, Object key, Object value, int numPartitions) {
			int count = numPartitions;
			if (!topic.isEmpty()) {
				try {
					count = Math.max(numPartitions, Instances.this.partitionCounts.count(this.store.processor(), topic));
				}
				catch (QueryException ex) {
					// Kafka Streams' count: right unless a member without an address holds some
				}
			}
			if (this.store.partitioner() != null) {
				return this.store.partitioner().partitions(topic, key, value, count);
			}
			byte[] bytes = this.store.keyType().serializer().serialize(topic, key);
			return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % count));
		}

	}

	/**
	 * Notes the partition count Kafka Streams passes and answers partition 0.
	 */
	private static final class Counting implements StreamPartitioner<Object, Object> {

		private @Nullable String topic;

		private int count;

		@Override
		public Optional<Set<Integer>> partitions(String topic, Object key, Object value, int numPartitions) {
			this.topic = topic;
			this.count = numPartitions;
			return Optional.of(Set.of(0));
		}

	}

}
