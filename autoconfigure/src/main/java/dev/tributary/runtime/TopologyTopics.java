package dev.tributary.runtime;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.TopologyDescription;

/**
 * The topics a topology reads.
 */
public final class TopologyTopics {

	private TopologyTopics() {
	}

	/**
	 * The topics records are read from, by the name they carry when read: a topology
	 * description names the topics Kafka Streams creates (repartition and foreign-key join
	 * topics) without the {@code <application.id>-} prefix they get. Sources that subscribe
	 * to a pattern are left out.
	 * @param topology the topology's description
	 * @param applicationId the processor's application id
	 * @return the topic names, sorted
	 */
	public static Set<String> sourceTopics(TopologyDescription topology, String applicationId) {
		Set<String> topics = new TreeSet<>();
		for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
			for (TopologyDescription.Node node : subtopology.nodes()) {
				if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
					for (String topic : source.topicSet()) {
						boolean unprefixed = InternalTopicNames.isCreatedByKafkaStreams(topic)
								&& !topic.startsWith(applicationId + "-");
						topics.add(unprefixed ? applicationId + "-" + topic : topic);
					}
				}
			}
		}
		return Collections.unmodifiableSet(topics);
	}

}
