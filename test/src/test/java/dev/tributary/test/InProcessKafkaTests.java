package dev.tributary.test;

import java.util.List;
import java.util.Properties;

import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = "tributary.dev-broker.enabled=true")
@InProcessKafka(topics = { "lines", "other" }, partitions = 3)
@ActiveProfiles("production")
class InProcessKafkaTests {

	@Autowired
	TestKafka kafka;

	@Autowired
	ProcessorRegistry processors;

	@Autowired
	Environment environment;

	@Test
	void pointsTheWholeApplicationAtTheTestBroker() {
		assertThat(this.environment.getProperty("spring.kafka.bootstrap-servers"))
			.isEqualTo(this.kafka.bootstrapServers());
		assertThat(this.environment.getProperty("tributary.dev-broker.enabled")).isEqualTo("false");
		assertThat(this.processors.get("word-count").state()).isEqualTo(KafkaStreams.State.RUNNING);
	}

	@Test
	void overridesTheClusterAndSecurityTheApplicationConfigures() {
		// application-production.yml names another cluster in every place a processor could take it from.
		Properties streams = this.processors.get("word-count").definition().streamsProperties();
		assertThat(streams.getProperty("bootstrap.servers")).isEqualTo(this.kafka.bootstrapServers());
		assertThat(streams.getProperty("security.protocol")).isEqualTo("PLAINTEXT");
		for (String client : List.of("streams", "producer", "consumer")) {
			assertThat(this.environment.getProperty("spring.kafka." + client + ".bootstrap-servers"))
				.isEqualTo(this.kafka.bootstrapServers());
		}
	}

	@Test
	void givesTheProcessorsAFreshStateDirAndAShortCommitIntervalOverTheApplicationsOwn() {
		// application.yml and application-production.yml set both; only the test's own properties count.
		Properties streams = this.processors.get("word-count").definition().streamsProperties();
		assertThat(streams.getProperty("state.dir")).contains("tributary-test-state-");
		assertThat(streams.getProperty("commit.interval.ms")).isEqualTo("100");
	}

	@Test
	void producesAndReadsRecords() {
		this.kafka.send("other", "k", "v1");
		this.kafka.send("other", "k", "v2");
		List<ConsumerRecord<String, String>> records = this.kafka.read("other", 2);
		assertThat(records).extracting(ConsumerRecord::value).containsExactly("v1", "v2");
	}

	@Test
	void failsClearlyWhenTooFewRecordsArrive() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> this.kafka.read("other-empty", new org.apache.kafka.common.serialization.StringDeserializer(),
					new org.apache.kafka.common.serialization.StringDeserializer(), 1, java.time.Duration.ofMillis(500)))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("Expected 1 records on 'other-empty'");
	}

	@Test
	void countsWordsEndToEnd() {
		this.kafka.send("lines", "in process in process");
		this.kafka.awaitStoreValue("word-count", "word-counts", "process", 2L);
	}

}
