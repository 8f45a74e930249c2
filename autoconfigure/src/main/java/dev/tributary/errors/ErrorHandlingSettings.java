package dev.tributary.errors;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * The error handling of one processor, handed to its exception handlers through the
 * Kafka Streams properties (under {@link #CONFIG_KEY}), since Kafka Streams creates the
 * handlers itself.
 *
 * @param processor the processor name
 * @param deserialization what to do with records that fail to deserialize
 * @param processing what to do with records whose processing throws
 * @param production what to do with results that fail to be produced
 * @param deadLetterTopic the dead-letter topic name; {@code {source-topic}} in it is
 * replaced by the failed record's topic
 * @param listener told about every handled error (metrics, logging)
 */
public record ErrorHandlingSettings(String processor, ErrorHandling deserialization, ErrorHandling processing,
		ErrorHandling production, String deadLetterTopic, ErrorListener listener) {

	/**
	 * The Kafka Streams property that carries the settings to the handlers.
	 */
	public static final String CONFIG_KEY = "tributary.errors.settings";

	/**
	 * The placeholder for the failed record's source topic in the dead-letter topic name.
	 */
	public static final String SOURCE_TOPIC_PLACEHOLDER = "{source-topic}";

	/**
	 * What {@value #SOURCE_TOPIC_PLACEHOLDER} stands for when a punctuator fails: a
	 * punctuation has no source record.
	 */
	public static final String PUNCTUATION = "punctuation";

	ErrorHandling handling(ErrorKind kind) {
		return switch (kind) {
			case DESERIALIZATION -> this.deserialization;
			case PROCESSING -> this.processing;
			case PRODUCTION -> this.production;
		};
	}

	String deadLetterTopic(ErrorHandlerContext context) {
		String source = (context.topic() != null) ? context.topic() : PUNCTUATION;
		return this.deadLetterTopic.replace(SOURCE_TOPIC_PLACEHOLDER, source);
	}

	/**
	 * Whether a topic is one of this processor's dead-letter topics: the name itself, or,
	 * with {@value #SOURCE_TOPIC_PLACEHOLDER}, any name the template gives.
	 */
	boolean isDeadLetterTopic(String topic) {
		if (!this.deadLetterTopic.contains(SOURCE_TOPIC_PLACEHOLDER)) {
			return this.deadLetterTopic.equals(topic);
		}
		String pattern = Arrays.stream(this.deadLetterTopic.split(Pattern.quote(SOURCE_TOPIC_PLACEHOLDER), -1))
			.map(Pattern::quote)
			.collect(Collectors.joining(".+"));
		return topic.matches(pattern);
	}

	/**
	 * What Tributary's handlers do with each kind of failure of the processor with these
	 * Kafka Streams properties. A kind for which the application configured a handler of
	 * its own is left out.
	 * @param streamsProperties the processor's Kafka Streams properties
	 * @return the handling per kind, in the kinds' order
	 */
	public static Map<ErrorKind, ErrorHandling> handledByTributary(Map<?, ?> streamsProperties) {
		Map<ErrorKind, ErrorHandling> handled = new EnumMap<>(ErrorKind.class);
		if (!(streamsProperties.get(CONFIG_KEY) instanceof ErrorHandlingSettings settings)) {
			return handled;
		}
		for (ErrorKind kind : ErrorKind.values()) {
			Class<?> handler = switch (kind) {
				case DESERIALIZATION -> DeserializationErrorHandler.class;
				case PROCESSING -> ProcessingErrorHandler.class;
				case PRODUCTION -> ProductionErrorHandler.class;
			};
			String key = switch (kind) {
				case DESERIALIZATION -> StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG;
				case PROCESSING -> StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG;
				case PRODUCTION -> StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG;
			};
			Object configured = streamsProperties.get(key);
			boolean tributary = (configured instanceof Class<?> type) ? type == handler
					: handler.getName().equals(String.valueOf(configured));
			if (tributary) {
				handled.put(kind, settings.handling(kind));
			}
		}
		return handled;
	}

	static ErrorHandlingSettings from(Map<String, ?> configs) {
		Object settings = configs.get(CONFIG_KEY);
		if (settings instanceof ErrorHandlingSettings errorHandlingSettings) {
			return errorHandlingSettings;
		}
		throw new IllegalStateException("Tributary's exception handlers need '" + CONFIG_KEY
				+ "' in the Kafka Streams properties; they are configured by Tributary, not by hand");
	}

	/**
	 * Told about every error a handler deals with.
	 */
	@FunctionalInterface
	public interface ErrorListener {

		/**
		 * Called once per handled error, on the stream thread.
		 * @param processor the processor name
		 * @param kind where the record failed
		 * @param handling what was done with it
		 * @param context the failed record's topic, partition, offset and task
		 * @param exception the error
		 */
		void errorHandled(String processor, ErrorKind kind, ErrorHandling handling, ErrorHandlerContext context,
				Exception exception);

		/**
		 * Called when a dead letter could not be written, on the producer's or the stream
		 * thread, just before the processor stops for it.
		 * @param processor the processor name
		 * @param topic the dead-letter topic
		 * @param exception why the write failed
		 */
		default void deadLetterFailed(String processor, String topic, Exception exception) {
		}

	}

}
