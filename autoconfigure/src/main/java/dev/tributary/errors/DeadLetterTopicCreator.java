package dev.tributary.errors;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.tributary.runtime.ClientSettings;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Creates a processor's dead-letter topics, if missing, when it starts (one per source
 * topic, repartition topics included, plus one for punctuations, when the name uses
 * {@code {source-topic}}), with the cluster's default partition count and replication factor.
 */
public class DeadLetterTopicCreator implements ProcessorListener {

	private static final Log logger = LogFactory.getLog(DeadLetterTopicCreator.class);

	// By processor name: the dead-letter topics of its current run.
	private final Map<String, Set<String>> topicsByProcessor = new ConcurrentHashMap<>();

	@Override
	public void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
		Properties properties = processor.definition().streamsProperties();
		if (!(properties.get(ErrorHandlingSettings.CONFIG_KEY) instanceof ErrorHandlingSettings settings)
				|| !usesDeadLetters(settings)) {
			return;
		}
		Set<String> topics = new TreeSet<>();
		if (settings.deadLetterTopic().contains(ErrorHandlingSettings.SOURCE_TOPIC_PLACEHOLDER)) {
			for (String source : processor.sourceTopics()) {
				topics.add(settings.deadLetterTopic().replace(ErrorHandlingSettings.SOURCE_TOPIC_PLACEHOLDER, source));
			}
			if (settings.processing() == ErrorHandling.DEAD_LETTER) {
				// Where a punctuator's failures go: a punctuation has no source topic.
				topics.add(settings.deadLetterTopic()
					.replace(ErrorHandlingSettings.SOURCE_TOPIC_PLACEHOLDER, ErrorHandlingSettings.PUNCTUATION));
			}
		}
		else {
			topics.add(settings.deadLetterTopic());
		}
		this.topicsByProcessor.put(processor.name(), Collections.unmodifiableSet(topics));
		// In the background: a start must not wait for the cluster (an unreachable one would
		// hold up every start). The stream threads join their group first, and a dead letter
		// sent before its topic exists waits for it (the producer's max.block.ms); one that
		// still finds none stops the processor and says so.
		Thread creator = new Thread(() -> createUntilDone(processor, streams, properties, topics),
				"tributary-dead-letter-topics-" + processor.name());
		creator.setDaemon(true);
		creator.start();
	}

	/**
	 * The dead-letter topics of a processor's current run, for tools that read them.
	 * @param processor the processor's name
	 * @return the topic names, sorted; empty when the processor sends no dead letters or
	 * has not been started
	 */
	public Set<String> topics(String processor) {
		return this.topicsByProcessor.getOrDefault(processor, Set.of());
	}

	/**
	 * A dead letter to a topic the cluster refuses for good (not authorized, or a name it
	 * does not accept) fails in Kafka Streams before any handler sees it; a new stream
	 * thread would re-read the record and fail again, for ever.
	 */
	@Override
	public boolean isUnrecoverable(ManagedProcessor processor, Throwable exception) {
		Set<String> topics = this.topicsByProcessor.getOrDefault(processor.name(), Set.of());
		Throwable cause = exception;
		for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
			Set<String> refused = (cause instanceof TopicAuthorizationException unauthorized)
					? unauthorized.unauthorizedTopics()
					: (cause instanceof InvalidTopicException invalid) ? invalid.invalidTopics() : Set.of();
			if (!Collections.disjoint(refused, topics)) {
				if (processor.definition().streamsProperties()
					.get(ErrorHandlingSettings.CONFIG_KEY) instanceof ErrorHandlingSettings settings
						&& cause instanceof Exception failure) {
					refused.stream()
						.filter(topics::contains)
						.forEach((topic) -> settings.listener().deadLetterFailed(processor.name(), topic, failure));
				}
				logger.error("Processor '" + processor.name() + "' could not write a dead letter to " + refused
						+ " (" + cause + "); it stops rather than read the record again and fail the same way. Make "
						+ "sure the topic exists, has a valid name and that the application may write to it, then "
						+ "start the processor again");
				return true;
			}
		}
		return false;
	}

	/**
	 * Tries again, every 5 s and then less often, while the cluster cannot be reached, for as long as this
	 * run of the processor lasts, so that a cluster that comes up late still gets the
	 * topics before the first dead letter needs them.
	 */
	private static void createUntilDone(ManagedProcessor processor, KafkaStreams streams, Properties properties,
			Set<String> topics) {
		long pauseSeconds = 5;
		boolean first = true;
		while (!create(processor, properties, topics, first)) {
			first = false;
			LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(pauseSeconds));
			pauseSeconds = Math.min(60, pauseSeconds * 2);
			if (processor.kafkaStreams().orElse(null) != streams) {
				return;
			}
		}
	}

	/**
	 * @return whether the topics exist now (or cannot be created for good: retrying would
	 * not help)
	 */
	private static boolean create(ManagedProcessor processor, Properties properties, Set<String> topics,
			boolean logFailure) {
		try (Admin admin = ClientSettings.admin(properties, processor.applicationId() + "-dead-letter-admin")) {
			Set<String> missing = new HashSet<>(topics);
			missing.removeAll(admin.listTopics().names().get(30, TimeUnit.SECONDS));
			if (!missing.isEmpty()) {
				List<NewTopic> newTopics = missing.stream()
					.map((name) -> new NewTopic(name, Optional.empty(), Optional.empty()))
					.toList();
				admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
				logger.info("Processor '" + processor.name() + "': created dead-letter topics " + missing);
			}
			return true;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof TopicExistsException) {
				return true;
			}
			// Refused for good (no rights, an invalid name): a dead letter that needs the
			// topic stops the processor and says why.
			boolean permanent = !(ex.getCause() instanceof RetriableException);
			if (permanent || logFailure) {
				warn(processor, topics, ex.getCause());
			}
			return permanent;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
				return true;
			}
			if (logFailure) {
				warn(processor, topics, ex);
			}
			return false;
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

}
