package dev.tributary.logging;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which of Kafka's loggers are quieted, when, and that a level the application set wins.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaLogLevelsTests {

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	private final LoggerLevels levels = new LoggerLevels(this.loggingSystem);

	// Other tests' application contexts in this JVM may have set them.
	@BeforeEach
	@AfterEach
	void resetLevels() {
		for (String name : allLoggers()) {
			this.loggingSystem.setLogLevel(name, null);
		}
	}

	@Test
	void quietsKafkasConfigurationDumpsButNotTheRestOfKafkaWithoutTheDevBroker(CapturedOutput output) {
		KafkaLogLevels.apply(this.levels, new MockEnvironment());
		assertThat(configuredLevel(KafkaLogLevels.CONFIG_DUMPS)).isEqualTo(LogLevel.WARN);
		assertThat(configuredLevel(KafkaLogLevels.KAFKA)).isNull();
		assertThat(configuredLevel("kafka")).isNull();
		assertThat(output).contains("Logging org.apache.kafka.common.config.AbstractConfig (Kafka's configuration "
				+ "dumps) at WARN; set logging.level.<logger> to choose the level yourself");
	}

	@Test
	void inDevelopmentQuietsTheDevBrokerAndKafkasClients(CapturedOutput output) {
		KafkaLogLevels.apply(this.levels, new MockEnvironment().withProperty("tributary.dev-broker.enabled", "true"));
		for (String broker : KafkaLogLevels.BROKER_LOGGERS) {
			assertThat(configuredLevel(broker)).as(broker).isEqualTo(LogLevel.ERROR);
		}
		assertThat(configuredLevel(KafkaLogLevels.KAFKA)).isEqualTo(LogLevel.WARN);
		assertThat(configuredLevel(KafkaLogLevels.CONFIG_DUMPS)).isEqualTo(LogLevel.WARN);
		assertThat(output.getOut().lines().filter((line) -> line.contains("KafkaLogLevels"))).hasSize(1);
		assertThat(output).contains("the dev broker's loggers (kafka, state.change.logger, org.apache.kafka.{controller,");
	}

	@Test
	void aLevelTheApplicationConfiguredIsKept(CapturedOutput output) {
		this.loggingSystem.setLogLevel(KafkaLogLevels.KAFKA, LogLevel.INFO);
		this.loggingSystem.setLogLevel(KafkaLogLevels.CONFIG_DUMPS, LogLevel.DEBUG);
		KafkaLogLevels.apply(this.levels, new MockEnvironment().withProperty("tributary.dev-broker.enabled", "true"));
		assertThat(configuredLevel(KafkaLogLevels.KAFKA)).isEqualTo(LogLevel.INFO);
		assertThat(configuredLevel(KafkaLogLevels.CONFIG_DUMPS)).isEqualTo(LogLevel.DEBUG);
		assertThat(configuredLevel("kafka")).isEqualTo(LogLevel.ERROR);
		assertThat(output).doesNotContain("AbstractConfig (Kafka's configuration dumps)");
	}

	@Test
	void aStepRunAtALevelLeavesTheLoggerUnconfiguredAgainUnlessTheApplicationConfiguredIt() {
		String name = "org.apache.kafka.clients.NetworkClient";
		assertThat(this.levels.callAt(name, LogLevel.ERROR, () -> configuredLevel(name))).isEqualTo(LogLevel.ERROR);
		assertThat(configuredLevel(name)).isNull();
		this.loggingSystem.setLogLevel(name, LogLevel.DEBUG);
		this.levels.runAt(name, LogLevel.ERROR, () -> assertThat(configuredLevel(name)).isEqualTo(LogLevel.DEBUG));
		assertThat(configuredLevel(name)).isEqualTo(LogLevel.DEBUG);
		this.loggingSystem.setLogLevel(name, null);
	}

	@Test
	void namesKafkasServerPackagesCompactly() {
		assertThat(KafkaLogLevels.compact(List.of("kafka", "org.apache.kafka.raft", "org.apache.kafka.server")))
			.isEqualTo("kafka, org.apache.kafka.{raft,server}");
		assertThat(KafkaLogLevels.compact(List.of("org.apache.kafka.raft"))).isEqualTo("org.apache.kafka.raft");
	}

	private LogLevel configuredLevel(String logger) {
		return this.loggingSystem.getLoggerConfiguration(logger).getConfiguredLevel();
	}

	private static List<String> allLoggers() {
		List<String> all = new ArrayList<>(KafkaLogLevels.BROKER_LOGGERS);
		all.add(KafkaLogLevels.KAFKA);
		all.add(KafkaLogLevels.CONFIG_DUMPS);
		return all;
	}

}
