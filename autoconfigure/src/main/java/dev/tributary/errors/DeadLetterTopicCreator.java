package dev.tributary.errors;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Creates a processor's dead-letter topics, if missing, when it starts (one per source
 * topic, repartition topics included, when the name uses {@code {source-topic}}), with
 * the cluster's default partition count and replication factor.
 */
public class DeadLetterTopicCreator implements ProcessorListener {

	private static final Log logger = LogFactory.getLog(DeadLetterTopicCreator.class);

	@Override
	public void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
		Properties properties = processor.definition().streamsProperties();
		if (!(properties.get(ErrorHandlingSettings.CONFIG_KEY) instanceof ErrorHandlingSettings settings)
				|| !usesDeadLetters(settings)) {
			return;
		}
		Set<String> topics = new TreeSet<>();
		if (settings.deadLetterTopic().contains(ErrorHandlingSettings.SOURCE_TOPIC_PLACEHOLDER)) {
			for (String source : sourceTopics(topology.describe(), processor.applicationId())) {
				topics.add(settings.deadLetterTopic().replace(ErrorHandlingSettings.SOURCE_TOPIC_PLACEHOLDER, source));
			}
		}
		else {
			topics.add(settings.deadLetterTopic());
		}
		// In the background: a start must not wait for the cluster (an unreachable one would
		// hold up every start). The stream threads join their group first, and a dead letter
		// sent before its topic exists waits for it (the producer's max.block.ms); one that
		// still finds none stops the processor and says so.
		Thread creator = new Thread(() -> create(processor, properties, topics),
				"tributary-dead-letter-topics-" + processor.name());
		creator.setDaemon(true);
		creator.start();
	}

	private static void create(ManagedProcessor processor, Properties properties, Set<String> topics) {
		try (Admin admin = Admin.create(new StreamsConfig(properties).getAdminConfigs(processor.applicationId()
				+ "-dead-letter-admin"))) {
			Set<String> missing = new HashSet<>(topics);
			missing.removeAll(admin.listTopics().names().get(30, TimeUnit.SECONDS));
			if (!missing.isEmpty()) {
				List<NewTopic> newTopics = missing.stream()
					.map((name) -> new NewTopic(name, Optional.empty(), Optional.empty()))
					.toList();
				admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
				logger.info("Processor '" + processor.name() + "': created dead-letter topics " + missing);
			}
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				warn(processor, topics, ex.getCause());
			}
		}
		catch (Exception ex) {
			warn(processor, topics, ex);
		}
	}

	private static void warn(ManagedProcessor processor, Set<String> topics, Throwable cause) {
		logger.warn("Processor '" + processor.name() + "': could not create dead-letter topics " + topics
				+ "; create them, or records sent there will fail: " + cause);
	}

	private static boolean usesDeadLetters(ErrorHandlingSettings settings) {
		return settings.deserialization() == ErrorHandling.DEAD_LETTER
				|| settings.processing() == ErrorHandling.DEAD_LETTER
				|| settings.production() == ErrorHandling.DEAD_LETTER;
	}

	/**
	 * The topics records are read from, by the name they carry when read: a topology
	 * description names repartition topics without the {@code <application.id>-} prefix
	 * that Kafka Streams gives them.
	 */
	static Set<String> sourceTopics(TopologyDescription topology, String applicationId) {
		Set<String> topics = new TreeSet<>();
		for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
			for (TopologyDescription.Node node : subtopology.nodes()) {
				if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
					for (String topic : source.topicSet()) {
						boolean unprefixedRepartition = topic.endsWith("-repartition")
								&& !topic.startsWith(applicationId + "-");
						topics.add(unprefixedRepartition ? applicationId + "-" + topic : topic);
					}
				}
			}
		}
		return topics;
	}

}
