package dev.tributary.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.tributary.logging.LoggerLevels;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.logging.LogLevel;
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

	private final LoggerLevels levels;

	/**
	 * Creates the listener.
	 * @param loggingSystem the application's logging system
	 */
	public HandledErrorLogLevels(LoggingSystem loggingSystem) {
		this.levels = new LoggerLevels(loggingSystem);
	}

	@Override
	public void configure(ManagedProcessor processor, Properties streamsProperties) {
		List<String> quieted = new ArrayList<>();
		Map<ErrorKind, ErrorHandling> handled = ErrorHandlingSettings.handledByTributary(streamsProperties);
		if (handled.containsKey(ErrorKind.DESERIALIZATION)) {
			quiet(RECORD_DESERIALIZER, quieted);
		}
		if (handled.containsKey(ErrorKind.PRODUCTION)) {
			quiet(RECORD_COLLECTOR, quieted);
		}
		if (!quieted.isEmpty()) {
			logger.info("Logging " + String.join(" and ", quieted) + " at ERROR only: Tributary reports the records "
					+ "it handles instead of one line each (set logging.level.<logger> to choose the level yourself)");
		}
	}

	private void quiet(String name, List<String> quieted) {
		// Once per logger: from then on its level is configured.
		if (this.levels.setUnlessConfigured(name, LogLevel.ERROR)) {
			quieted.add(name);
		}
	}

}
