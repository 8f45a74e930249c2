package dev.tributary.samples.wordcount;

import java.nio.charset.StandardCharsets;

import dev.tributary.errors.DeadLetterHeaders;
import dev.tributary.test.ProcessorTestDriver;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
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

	@Test
	void aLineThatIsNotUtf8IsDeadLetteredNotCounted() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount())) {
			byte[] latin1 = "un café".getBytes(StandardCharsets.ISO_8859_1);
			driver.inputTopic("lines", Serdes.String(), Serdes.ByteArray()).pipeInput(latin1);

			TestOutputTopic<byte[], byte[]> deadLetters = driver.outputTopic("wordcount-word-count-dlq",
					Serdes.ByteArray(), Serdes.ByteArray());
			TestRecord<byte[], byte[]> deadLetter = deadLetters.readRecord();
			assertThat(deadLetter.value()).isEqualTo(latin1);
			assertThat(new String(deadLetter.headers().lastHeader(DeadLetterHeaders.KIND).value(),
					StandardCharsets.UTF_8)).isEqualTo("deserialization");
			assertThat(driver.<String, Long>keyValueStore("word-counts").get("un")).isNull();
		}
	}

}
