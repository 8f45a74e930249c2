package dev.tributary.test;

import java.util.Map;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tributary's dead-letter handling on Kafka's test driver, which has no broker to read a
 * released record back from.
 */
class DeadLettersOnTheTestDriverTests {

	@Test
	void aFailureBeforeAnyOutputIsDeadLetteredWithTheRecordsBytes() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new FanOut())) {
			driver.inputTopic("numbers", Serdes.String(), Serdes.Long()).pipeInput("k7", 7L);
			TestOutputTopic<String, Long> deadLetters = driver.outputTopic("testapp-fan-out-dlq", Serdes.String(),
					Serdes.Long());
			TestRecord<String, Long> deadLetter = deadLetters.readRecord();
			assertThat(deadLetter.key()).isEqualTo("k7");
			assertThat(deadLetter.value()).isEqualTo(7L);
		}
	}

	@Test
	void aRecordThatCannotBeDeserializedIsDeadLetteredUnderExactlyOnceToo() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new FanOut(),
				Map.of("tributary.guarantee", "exactly-once"))) {
			driver.inputTopic("numbers", Serdes.String(), Serdes.String()).pipeInput("k3", "not a long");
			TestOutputTopic<String, String> deadLetters = driver.outputTopic("testapp-fan-out-dlq", Serdes.String(),
					Serdes.String());
			assertThat(deadLetters.readKeyValuesToList()).containsExactly(KeyValue.pair("k3", "not a long"));
			assertThat(driver.definition().streamsProperties().getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
				.as("the processor's own guarantee").isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
		}
	}

	@Test
	void aFailureAfterAnOutputFailsRatherThanWritingADeadLetterWithoutTheRecord() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new FanOut())) {
			TestInputTopic<String, Long> numbers = driver.inputTopic("numbers", Serdes.String(), Serdes.Long());
			assertThatExceptionOfType(StreamsException.class).isThrownBy(() -> numbers.pipeInput("k26", 26L));
			assertThat(driver.outputTopic("testapp-fan-out-dlq", Serdes.String(), Serdes.Long()).isEmpty()).isTrue();
		}
	}

	/** Every number goes to one topic; then 26 fails on its way to a second one. */
	@StreamProcessor("fan-out")
	static class FanOut {

		void topology(StreamsBuilder builder) {
			KStream<String, Long> numbers = builder.stream("numbers", Consumed.with(Serdes.String(), Serdes.Long()))
				.mapValues((value) -> {
					if (value == 7) {
						throw new IllegalArgumentException("seven");
					}
					return value;
				});
			numbers.to("all", Produced.with(Serdes.String(), Serdes.Long()));
			numbers.mapValues((value) -> {
				if (value == 26) {
					throw new IllegalArgumentException("unlucky number 26");
				}
				return value;
			}).to("picky", Produced.with(Serdes.String(), Serdes.Long()));
		}

	}

}
