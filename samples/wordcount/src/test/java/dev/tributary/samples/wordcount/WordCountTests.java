package dev.tributary.samples.wordcount;

import dev.tributary.test.ProcessorTestDriver;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit test: the topology on Kafka's TopologyTestDriver, no broker, no Spring context.
 */
class WordCountTests {

	@Test
	void countsEachWordOfEachLine() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount())) {
			TestInputTopic<String, String> lines = driver.inputTopic("lines", Serdes.String(), Serdes.String());
			TestOutputTopic<String, Long> counts = driver.outputTopic("word-count-output", Serdes.String(),
					Serdes.Long());

			lines.pipeInput("Kafka Streams, kafka!");

			assertThat(counts.readKeyValuesToMap()).containsEntry("kafka", 2L).containsEntry("streams", 1L);
			assertThat(driver.<String, Long>keyValueStore("word-counts").get("kafka")).isEqualTo(2L);
		}
	}

}
