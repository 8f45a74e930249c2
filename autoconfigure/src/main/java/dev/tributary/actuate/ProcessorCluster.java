package dev.tributary.actuate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Every instance of a processor's application, as Kafka Streams' metadata describes the
 * group: its address, the input partitions it holds active and standby, and the stores it
 * hosts. Kafka Streams knows the other instances only where they advertise an
 * {@code application.server}; without one this instance shows only itself, from its own
 * threads. Reads in-memory state only; never calls Kafka.
 */
final class ProcessorCluster {

	private ProcessorCluster() {
	}

	static Map<String, Object> of(ManagedProcessor processor) {
		String self = processor.streamsProperties().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
		KafkaStreams streams = processor.kafkaStreams().orElse(null);
		Collection<StreamsMetadata> metadata = List.of();
		if (streams != null) {
			try {
				metadata = streams.metadataForAllStreamsClients();
			}
			catch (RuntimeException ex) {
				// Not running: no group to describe.
			}
		}
		List<Map<String, Object>> instances = new ArrayList<>();
		boolean selfListed = false;
		for (StreamsMetadata instance : metadata) {
			String host = instance.host() + ":" + instance.port();
			boolean local = host.equals(self);
			selfListed |= local;
			instances.add(instance(host, local, instance.topicPartitions(), instance.standbyTopicPartitions(),
					instance.stateStoreNames(), instance.standbyStateStoreNames()));
		}
		if (!selfListed && streams != null) {
			instances.add(localInstance(processor, self));
		}
		instances.sort((a, b) -> a.get("host").toString().compareTo(b.get("host").toString()));
		Map<String, Object> cluster = new LinkedHashMap<>();
		cluster.put("name", processor.name());
		cluster.put("applicationId", processor.applicationId());
		cluster.put("state", processor.state().name());
		cluster.put("advertised", self != null);
		cluster.put("instances", instances);
		return cluster;
	}

	/**
	 * This instance from its threads' metadata, when Kafka Streams' metadata does not list
	 * it (no {@code application.server}, or not yet assigned).
	 */
	private static Map<String, Object> localInstance(ManagedProcessor processor, String self) {
		Set<TopicPartition> active = new TreeSet<>(ProcessorCluster::compare);
		Set<TopicPartition> standby = new TreeSet<>(ProcessorCluster::compare);
		for (ThreadMetadata thread : processor.threads()) {
			thread.activeTasks().stream().map(TaskMetadata::topicPartitions).forEach(active::addAll);
			thread.standbyTasks().stream().map(TaskMetadata::topicPartitions).forEach(standby::addAll);
		}
		Set<String> stores = active.isEmpty() ? Set.of() : new TreeSet<>(processor.storeNames());
		Set<String> standbyStores = standby.isEmpty() ? Set.of() : new TreeSet<>(processor.storeNames());
		return instance((self != null) ? self : "local", true, active, standby, stores, standbyStores);
	}

	private static Map<String, Object> instance(String host, boolean local, Set<TopicPartition> active,
			Set<TopicPartition> standby, Set<String> stores, Set<String> standbyStores) {
		Map<String, Object> instance = new LinkedHashMap<>();
		instance.put("host", host);
		instance.put("local", local);
		instance.put("activePartitions", names(active));
		instance.put("standbyPartitions", names(standby));
		instance.put("stores", new TreeSet<>(stores));
		instance.put("standbyStores", new TreeSet<>(standbyStores));
		return instance;
	}

	private static List<String> names(Set<TopicPartition> partitions) {
		List<TopicPartition> sorted = new ArrayList<>(partitions);
		sorted.sort(ProcessorCluster::compare);
		return sorted.stream().map(TopicPartition::toString).toList();
	}

	private static int compare(TopicPartition a, TopicPartition b) {
		int byTopic = a.topic().compareTo(b.topic());
		return (byTopic != 0) ? byTopic : Integer.compare(a.partition(), b.partition());
	}

}
