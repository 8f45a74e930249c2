package dev.tributary.logging;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.tributary.runtime.InternalTopicNames;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.Topology;
import org.slf4j.Marker;

import org.springframework.beans.factory.DisposableBean;

/**
 * Drops the Kafka consumer's warnings that a processor's own internal topics do not
 * exist yet, while the processor has not been running since it started. Kafka Streams
 * creates repartition and foreign-key join topics itself, in the first rebalance of an
 * application; its main consumer, subscribed to them from the start, asks the cluster
 * for their metadata before that and logs {@code UNKNOWN_TOPIC_OR_PARTITION} at
 * {@code WARN} for every answer (four on a first start on a small machine). Such a
 * warning about any other topic, mixed with the internal ones, or once the processor has
 * reached {@code RUNNING}, is logged as usual. Logback only: a Logback turbo filter.
 */
public class NotYetCreatedTopicWarnings implements ProcessorListener, DisposableBean {

	static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

	/** Kafka's format: "... reported a recoverable issue with correlation id {} : {}". */
	static final String RECOVERABLE_ISSUE = "The metadata response from the cluster reported a recoverable issue";

	private static final String UNKNOWN_TOPIC = "UNKNOWN_TOPIC_OR_PARTITION";

	private final LoggerContext context;

	private final Filter filter = new Filter();

	// The application ids of the processors between a start and their first RUNNING.
	private final Set<String> starting = ConcurrentHashMap.newKeySet();

	/**
	 * Adds the filter to the given Logback context.
	 * @param context the application's Logback context
	 */
	public NotYetCreatedTopicWarnings(LoggerContext context) {
		this.context = context;
		this.filter.setName("tributary-not-yet-created-topics");
		this.filter.start();
		context.addTurboFilter(this.filter);
	}

	@Override
	public void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
		starting(processor.applicationId());
	}

	@Override
	public void stateChanged(ManagedProcessor processor, State newState, State oldState) {
		if (newState != State.CREATED && newState != State.REBALANCING) {
			settled(processor.applicationId());
		}
	}

	@Override
	public void streamsClosed(ManagedProcessor processor, KafkaStreams streams) {
		settled(processor.applicationId());
	}

	void starting(String applicationId) {
		this.starting.add(applicationId);
	}

	void settled(String applicationId) {
		this.starting.remove(applicationId);
	}

	@Override
	public void destroy() {
		this.context.getTurboFilterList().remove(this.filter);
	}

	/**
	 * Whether a metadata warning is only about internal topics of starting processors
	 * that the cluster does not know yet.
	 * @param message the message as Kafka logs it (its clients format it themselves):
	 * {@code [Consumer clientId=..] ... with correlation id 2 : {topic=ERROR, ...}}
	 * @return whether it is only about not yet created internal topics
	 */
	boolean onlyNotYetCreatedInternalTopics(String message) {
		int start = message.lastIndexOf(" : {");
		if (start < 0 || !message.endsWith("}")) {
			return false;
		}
		String errors = message.substring(start + 4, message.length() - 1);
		if (errors.isEmpty()) {
			return false;
		}
		// Topic names have neither ',' nor '=' nor spaces.
		for (String error : errors.split(", ")) {
			int equals = error.indexOf('=');
			if (equals < 0 || !UNKNOWN_TOPIC.equals(error.substring(equals + 1))
					|| !isStartingInternalTopic(error.substring(0, equals))) {
				return false;
			}
		}
		return true;
	}

	private boolean isStartingInternalTopic(String topic) {
		for (String applicationId : this.starting) {
			if (topic.startsWith(applicationId + "-")
					&& InternalTopicNames.isCreatedByKafkaStreams(topic.substring(applicationId.length() + 1))) {
				return true;
			}
		}
		return false;
	}

	private final class Filter extends TurboFilter {

		@Override
		public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
				Throwable t) {
			// Called for every log call of the application: the cheap tests first.
			if (starting.isEmpty() || level != Level.WARN || format == null || !NETWORK_CLIENT.equals(logger.getName())
					|| !format.contains(RECOVERABLE_ISSUE)) {
				return FilterReply.NEUTRAL;
			}
			return onlyNotYetCreatedInternalTopics(format) ? FilterReply.DENY : FilterReply.NEUTRAL;
		}

	}

}
