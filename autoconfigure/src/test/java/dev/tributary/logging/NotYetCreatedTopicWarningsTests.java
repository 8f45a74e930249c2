package dev.tributary.logging;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer's warnings about a starting processor's own internal topics are dropped,
 * and no other warning.
 */
@ExtendWith(OutputCaptureExtension.class)
class NotYetCreatedTopicWarningsTests {

	// As Kafka's clients log it: they format the message themselves, with their prefix.
	private static final String PREFIX = "[Consumer clientId=shop-orders-1-StreamThread-1-consumer, groupId=shop-orders] "
			+ NotYetCreatedTopicWarnings.RECOVERABLE_ISSUE + " with correlation id 2 : ";

	private final Logger networkClient = LoggerFactory.getLogger(NotYetCreatedTopicWarnings.NETWORK_CLIENT);

	private final NotYetCreatedTopicWarnings warnings = new NotYetCreatedTopicWarnings(
			(LoggerContext) LoggerFactory.getILoggerFactory());

	@AfterEach
	void removeTheFilter() {
		this.warnings.destroy();
	}

	@Test
	void dropsWarningsAboutAStartingProcessorsRepartitionAndJoinTopics(CapturedOutput output) {
		this.warnings.starting("shop-orders");
		this.networkClient.warn(PREFIX + "{shop-orders-totals-repartition=UNKNOWN_TOPIC_OR_PARTITION}");
		this.networkClient.warn(PREFIX + "{shop-orders-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic="
				+ "UNKNOWN_TOPIC_OR_PARTITION, shop-orders-totals-repartition=UNKNOWN_TOPIC_OR_PARTITION}");
		assertThat(output).doesNotContain(NotYetCreatedTopicWarnings.RECOVERABLE_ISSUE);
	}

	@Test
	void keepsWarningsAboutOtherTopicsOrErrorsAndOnceTheProcessorRuns(CapturedOutput output) {
		this.warnings.starting("shop-orders");
		this.networkClient.warn(PREFIX + "{orders=UNKNOWN_TOPIC_OR_PARTITION}");
		this.networkClient.warn(PREFIX + "{shop-orders-totals-repartition=LEADER_NOT_AVAILABLE}");
		this.networkClient.warn(PREFIX + "{shop-orders-totals-repartition=UNKNOWN_TOPIC_OR_PARTITION, "
				+ "orders=UNKNOWN_TOPIC_OR_PARTITION}");
		this.networkClient.warn(PREFIX + "{shop-payments-totals-repartition=UNKNOWN_TOPIC_OR_PARTITION}");
		this.warnings.settled("shop-orders");
		this.networkClient.warn(PREFIX + "{shop-orders-totals-repartition=UNKNOWN_TOPIC_OR_PARTITION}");
		assertThat(output.getOut().split(NotYetCreatedTopicWarnings.RECOVERABLE_ISSUE, -1)).hasSize(6);
	}

	@Test
	void leavesOtherLoggersAndLevelsAlone(CapturedOutput output) {
		this.warnings.starting("shop-orders");
		LoggerFactory.getLogger("org.apache.kafka.clients.Metadata")
			.warn(PREFIX + "{shop-orders-totals-repartition=UNKNOWN_TOPIC_OR_PARTITION}");
		this.networkClient.error(PREFIX + "{shop-orders-totals-repartition=UNKNOWN_TOPIC_OR_PARTITION}");
		assertThat(output.getOut().split(NotYetCreatedTopicWarnings.RECOVERABLE_ISSUE, -1)).hasSize(3);
	}

}
