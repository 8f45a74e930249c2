package dev.tributary.errors;

import java.util.Properties;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.StreamsConfig;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Keeps records that Tributary's handlers dealt with from being logged once each by
 * Kafka Streams as well: {@link ErrorReporter} already logs them, at most one line per
 * interval. Raises the level of the Kafka Streams loggers that write such a line per
 * record to {@code ERROR}, when a processor uses Tributary's handler for that kind and
 * the logger's level is not configured (by {@code logging.level.*} or the logging
 * system's own configuration): a configured level always wins.
 */
public class HandledErrorLogLevels implements ProcessorListener {

	/** Logs "Skipping record due to deserialization error" at WARN, per record. */
	static final String RECORD_DESERIALIZER = "org.apache.kafka.streams.processor.internals.RecordDeserializer";

	/** Logs "Unable to serialize record, continue processing" at WARN, per record. */
	static final String RECORD_COLLECTOR = "org.apache.kafka.streams.processor.internals.RecordCollectorImpl";

	private static final Log logger = LogFactory.getLog(HandledErrorLogLevels.class);

	private final LoggingSystem loggingSystem;

	/**
	 * Creates the listener.
	 * @param loggingSystem the application's logging system
	 */
	public HandledErrorLogLevels(LoggingSystem loggingSystem) {
		this.loggingSystem = loggingSystem;
	}

	@Override
	public void configure(ManagedProcessor processor, Properties streamsProperties) {
		if (isTributary(streamsProperties.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG),
				DeserializationErrorHandler.class)) {
			quiet(RECORD_DESERIALIZER);
		}
		if (isTributary(streamsProperties.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG),
				ProductionErrorHandler.class)) {
			quiet(RECORD_COLLECTOR);
		}
	}

	private void quiet(String name) {
		LoggerConfiguration configuration = this.loggingSystem.getLoggerConfiguration(name);
		if (configuration != null && configuration.getConfiguredLevel() != null) {
			return;
		}
		this.loggingSystem.setLogLevel(name, LogLevel.ERROR);
		// Once per logger: from then on its level is configured.
		logger.info("Logging " + name + " at ERROR only: Tributary reports the records it handles instead of one "
				+ "line each (set logging.level." + name + " to choose its level yourself)");
	}

	private static boolean isTributary(Object handler, Class<?> type) {
		return (handler instanceof Class<?> handlerClass) ? handlerClass == type
				: type.getName().equals(String.valueOf(handler));
	}

}
