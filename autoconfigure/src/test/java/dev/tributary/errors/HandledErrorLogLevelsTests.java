package dev.tributary.errors;

import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which Kafka Streams loggers are quieted, and that a level the user set always wins.
 */
class HandledErrorLogLevelsTests {

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	private final HandledErrorLogLevels levels = new HandledErrorLogLevels(this.loggingSystem);

	@AfterEach
	void resetLevels() {
		this.loggingSystem.setLogLevel(HandledErrorLogLevels.RECORD_DESERIALIZER, null);
		this.loggingSystem.setLogLevel(HandledErrorLogLevels.RECORD_COLLECTOR, null);
	}

	@Test
	void kafkasPerRecordLoggersAreRaisedToErrorWhenTributaryHandlesTheirKind() {
		this.levels.configure(null, properties(DeserializationErrorHandler.class, ProductionErrorHandler.class));
		assertThat(configuredLevel(HandledErrorLogLevels.RECORD_DESERIALIZER)).isEqualTo(LogLevel.ERROR);
		assertThat(configuredLevel(HandledErrorLogLevels.RECORD_COLLECTOR)).isEqualTo(LogLevel.ERROR);
	}

	@Test
	void aLevelTheUserConfiguredIsKept() {
		this.loggingSystem.setLogLevel(HandledErrorLogLevels.RECORD_DESERIALIZER, LogLevel.WARN);
		this.levels.configure(null, properties(DeserializationErrorHandler.class, ProductionErrorHandler.class));
		assertThat(configuredLevel(HandledErrorLogLevels.RECORD_DESERIALIZER)).isEqualTo(LogLevel.WARN);
	}

	@Test
	void loggersOfKindsTheUsersOwnHandlerHandlesAreLeftAlone() {
		this.levels.configure(null, properties(LogAndContinueExceptionHandler.class, ProductionErrorHandler.class));
		assertThat(configuredLevel(HandledErrorLogLevels.RECORD_DESERIALIZER)).isNull();
		assertThat(configuredLevel(HandledErrorLogLevels.RECORD_COLLECTOR)).isEqualTo(LogLevel.ERROR);
	}

	private LogLevel configuredLevel(String logger) {
		return this.loggingSystem.getLoggerConfiguration(logger).getConfiguredLevel();
	}

	private static Properties properties(Class<?> deserialization, Class<?> production) {
		Properties properties = new Properties();
		properties.put(ErrorHandlingSettings.CONFIG_KEY, new ErrorHandlingSettings("p", ErrorHandling.DEAD_LETTER,
				ErrorHandling.DEAD_LETTER, ErrorHandling.DEAD_LETTER, "p-dlq", (processor, kind, handling, context,
						exception) -> {
				}));
		properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, deserialization);
		// A class name, as a user's properties file would give it.
		properties.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, production.getName());
		return properties;
	}

}
