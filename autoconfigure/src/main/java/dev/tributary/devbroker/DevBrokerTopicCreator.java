package dev.tributary.devbroker;

import java.util.LinkedHashSet;
import java.util.Set;

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
		Set<String> topics = new LinkedHashSet<>();
		for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
			for (TopologyDescription.Node node : subtopology.nodes()) {
				if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
					topics.addAll(source.topicSet());
				}
				else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
					topics.add(sink.topic());
				}
			}
		}
		for (TopologyDescription.GlobalStore store : topology.describe().globalStores()) {
			topics.addAll(store.source().topicSet());
		}
		// Repartition topics are internal (the description shows them without the
		// application id prefix): Kafka Streams creates those itself.
		topics.removeIf((topic) -> topic.endsWith("-repartition"));
		this.broker.createTopics(topics);
	}

}
