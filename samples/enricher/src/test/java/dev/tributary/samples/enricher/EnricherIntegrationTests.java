package dev.tributary.samples.enricher;

import java.time.Instant;
import java.util.List;

import dev.tributary.test.StreamProcessorTest;
import dev.tributary.test.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enricher on a real in-process broker, its async step included, against a fast
 * threat-intelligence service.
 */
@StreamProcessorTest(topics = { "cloud-activity", "enriched-activity" }, partitions = 2,
		properties = { "enricher.threat-intel.min-latency=1ms", "enricher.threat-intel.max-latency=20ms",
				"enricher.threat-intel.failure-rate=0" })
@Import(ThreatIntelClient.class)
class EnricherIntegrationTests {

	@Autowired
	TestKafka kafka;

	@Test
	void normalizesEnrichesAndCountsActivityPerUser() {
		Instant now = Instant.now();
		this.kafka.send("cloud-activity", "m365", ActivityGenerator.m365("alice@acme.example", "203.0.0.1", now));
		this.kafka.send("cloud-activity", "workspace",
				ActivityGenerator.workspace("alice@acme.example", "203.0.0.2", now));
		this.kafka.send("cloud-activity", "slack", ActivityGenerator.slack("alice@acme.example", "203.0.0.3", now));
		this.kafka.send("cloud-activity", "slack", ActivityGenerator.slack("bob@acme.example", "203.0.0.4", now));

		this.kafka.awaitStoreValue("enricher", "activity-per-user", "alice@acme.example", 3L);
		this.kafka.awaitStoreValue("enricher", "activity-per-user", "bob@acme.example", 1L);
		List<ConsumerRecord<String, String>> enriched = this.kafka.read("enriched-activity", 4);
		assertThat(enriched).extracting(ConsumerRecord::key)
			.containsExactlyInAnyOrder("alice@acme.example", "alice@acme.example", "alice@acme.example",
					"bob@acme.example");
		assertThat(enriched).allSatisfy((record) -> assertThat(record.value()).contains("\"country\":\"")
			.contains("\"risk\":")
			.contains("\"user\":\"" + record.key() + "\""));
		// One user's events keep their order through the async step.
		assertThat(enriched.stream().filter((record) -> record.key().startsWith("alice")).map(ConsumerRecord::value))
			.satisfiesExactly((first) -> assertThat(first).contains("\"app\":\"m365\""),
					(second) -> assertThat(second).contains("\"app\":\"workspace\""),
					(third) -> assertThat(third).contains("\"app\":\"slack\""));
	}

}
