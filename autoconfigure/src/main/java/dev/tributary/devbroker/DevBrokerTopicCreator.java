package dev.tributary.devbroker;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.tributary.runtime.InternalTopicNames;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Creates each processor's source and sink topics on the dev broker before the
 * processor starts. Kafka Streams does not create its input topics, and a processor
 * started before its first record was produced would otherwise fail to assign tasks.
 */
public class DevBrokerTopicCreator implements ProcessorListener {

	private final DevBroker broker;

	/**
	 * Creates a topic creator for the given broker.
	 * @param broker the dev broker
	 */
	public DevBrokerTopicCreator(DevBroker broker) {
		this.broker = broker;
	}

	@Override
	public void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
		this.broker.createTopics(topicsToCreate(topology.describe()));
	}

	/**
	 * The topics a topology reads and writes that Kafka Streams does not create itself.
	 * Its internal topics (repartition and foreign-key join topics) show in the
	 * description without the application id prefix; Kafka Streams creates those.
	 * @param topology the topology's description
	 * @return the source and sink topics to create
	 */
	static Set<String> topicsToCreate(TopologyDescription topology) {
		Set<String> topics = new LinkedHashSet<>();
		for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
			for (TopologyDescription.Node node : subtopology.nodes()) {
				if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
					topics.addAll(source.topicSet());
				}
				else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
					topics.add(sink.topic());
				}
			}
		}
		for (TopologyDescription.GlobalStore store : topology.globalStores()) {
			topics.addAll(store.source().topicSet());
		}
		topics.removeIf(InternalTopicNames::isCreatedByKafkaStreams);
		return topics;
	}

}
