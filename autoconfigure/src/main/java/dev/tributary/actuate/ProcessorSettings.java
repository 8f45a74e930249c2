package dev.tributary.actuate;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import dev.tributary.errors.DeserializationErrorHandler;
import dev.tributary.errors.ErrorHandling;
import dev.tributary.errors.ErrorHandlingSettings;
import dev.tributary.errors.ProcessingErrorHandler;
import dev.tributary.errors.ProductionErrorHandler;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorDefinition;
import dev.tributary.runtime.SensitiveKeys;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * The effective settings that decide how a processor behaves (guarantee, commit interval,
 * threads, standbys, error handling ...), with Kafka's defaults filled in for what the
 * user did not set, so that nobody has to read Kafka's configuration dump. Never shows a
 * secret: only the keys listed here, none of them sensitive.
 */
final class ProcessorSettings {

	private static final String DEPRECATED_DESERIALIZATION_HANDLER = "default.deserialization.exception.handler";

	private static final String DEPRECATED_PRODUCTION_HANDLER = "default.production.exception.handler";

	private ProcessorSettings() {
	}

	static Map<String, Object> of(ManagedProcessor processor) {
		Properties properties = processor.streamsProperties();
		StreamsConfig config = new QuietStreamsConfig(properties);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
				config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
		settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
		settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
		settings.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
				config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
		settings.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG));
		settings.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(StreamsConfig.STATE_DIR_CONFIG));
		settings.put(StreamsConfig.APPLICATION_SERVER_CONFIG,
				config.getString(StreamsConfig.APPLICATION_SERVER_CONFIG));
		settings.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG,
				config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
		settings.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG,
				config.getString(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG));
		Map<String, Object> consumer = consumer(config, processor.applicationId());
		for (String key : new String[] { ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
				ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
				ConsumerConfig.MAX_POLL_RECORDS_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG }) {
			if (consumer.get(key) != null) {
				settings.put(key, consumer.get(key));
			}
		}
		settings.put("errors", errors(properties, config));
		ProcessorDefinition definition = processor.definition();
		settings.put("auto-startup", definition.autoStartup());
		settings.put("close-timeout", print(definition.closeTimeout()));
		settings.put("uncaught-exception-policy", dashed(definition.uncaughtExceptionPolicy()));
		settings.keySet().removeIf(SensitiveKeys::isSensitive);
		return settings;
	}

	/**
	 * The main consumer's settings as Kafka Streams builds them (its own overrides of the
	 * consumer's defaults included), parsed so that unset keys get the consumer's defaults.
	 */
	private static Map<String, Object> consumer(StreamsConfig config, String applicationId) {
		Map<String, Object> consumer = new HashMap<>(config.getMainConsumerConfigs(applicationId, "settings", 0));
		consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		return ConsumerConfig.configDef().parse(consumer);
	}

	/**
	 * For each kind of failure, Tributary's handling ({@code dead-letter} ...) when its
	 * handler is installed, else the class name of the user's own handler.
	 */
	private static Map<String, Object> errors(Properties properties, StreamsConfig config) {
		ErrorHandlingSettings tributary = (properties
			.get(ErrorHandlingSettings.CONFIG_KEY) instanceof ErrorHandlingSettings settings) ? settings : null;
		Map<String, Object> errors = new LinkedHashMap<>();
		errors.put("deserialization",
				handling(handler(properties, config, StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
						DEPRECATED_DESERIALIZATION_HANDLER), DeserializationErrorHandler.class,
						(tributary != null) ? tributary.deserialization() : null));
		errors.put("processing",
				handling(handler(properties, config, StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, null),
						ProcessingErrorHandler.class, (tributary != null) ? tributary.processing() : null));
		errors.put("production",
				handling(handler(properties, config, StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
						DEPRECATED_PRODUCTION_HANDLER), ProductionErrorHandler.class,
						(tributary != null) ? tributary.production() : null));
		if (tributary != null) {
			errors.put("dead-letter-topic", tributary.deadLetterTopic());
		}
		return errors;
	}

	private static String handler(Properties properties, StreamsConfig config, String key,
			@Nullable String deprecatedKey) {
		Object handler = properties.get(key);
		if (handler == null && deprecatedKey != null) {
			handler = properties.get(deprecatedKey);
		}
		if (handler == null) {
			return config.getClass(key).getName();
		}
		return (handler instanceof Class<?> type) ? type.getName() : handler.toString();
	}

	private static String handling(String handler, Class<?> tributaryHandler, @Nullable ErrorHandling handling) {
		if (handler.equals(tributaryHandler.getName()) && handling != null) {
			return dashed(handling);
		}
		return handler;
	}

	private static String print(Duration duration) {
		return DurationStyle.SIMPLE.print(duration,
				(duration.toMillis() % 1000 == 0) ? ChronoUnit.SECONDS : ChronoUnit.MILLIS);
	}

	private static String dashed(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Reads the configuration with its defaults without logging all of it, as
	 * {@code new StreamsConfig(properties)} would on every request.
	 */
	private static final class QuietStreamsConfig extends StreamsConfig {

		QuietStreamsConfig(Properties properties) {
			super(properties, false);
		}

	}

}
