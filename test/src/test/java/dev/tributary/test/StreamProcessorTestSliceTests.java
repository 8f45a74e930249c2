package dev.tributary.test;

import java.time.Duration;
import java.util.List;

import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

@StreamProcessorTest(topics = "lines", partitions = 2, properties = "tributary.streams.commit.interval.ms=200")
@Import(StopWords.class)
class StreamProcessorTestSliceTests {

	@Autowired
	TestKafka kafka;

	@Autowired
	ProcessorRegistry processors;

	@Autowired
	ApplicationContext context;

	@Test
	void startsTheProcessorsAgainstAnInProcessBroker() {
		assertThat(this.processors.get("word-count").state()).isEqualTo(KafkaStreams.State.RUNNING);
		this.kafka.send("lines", "slice test slice");
		this.kafka.awaitStoreValue("word-count", "word-counts", "slice", 2L);
		List<ConsumerRecord<String, Long>> output = this.kafka.read("word-count-output", new StringDeserializer(),
				new LongDeserializer(), 2, Duration.ofSeconds(30));
		assertThat(output).extracting(ConsumerRecord::key).contains("slice", "test");
	}

	@Test
	void keepsTheCommitIntervalTheTestSetsAndAFreshStateDir() {
		java.util.Properties streams = this.processors.get("word-count").definition().streamsProperties();
		assertThat(streams.getProperty("commit.interval.ms")).isEqualTo("200");
		assertThat(streams.getProperty("state.dir")).contains("tributary-test-state-");
	}

	@Test
	void startsOnlyTheStreamProcessorBeansAndWhatTheTestImports() {
		assertThat(this.context.getBeanNamesForType(WordCount.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(StopWords.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(UnrelatedComponent.class)).isEmpty();
		assertThat(this.context.containsBean("tributaryTestBroker")).isTrue();
	}

}
