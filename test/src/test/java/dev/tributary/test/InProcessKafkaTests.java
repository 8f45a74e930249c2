package dev.tributary.test;

import java.util.List;

import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = "tributary.dev-broker.enabled=true")
@InProcessKafka(topics = { "lines", "other" }, partitions = 3)
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
