package dev.tributary.test;

import java.util.Map;

import dev.tributary.runtime.ProcessorConfigurationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessorTestDriverTests {

	@Test
	void runsAProcessorOnTheTestDriverWithoutASpringContext() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()))) {
			driver.inputTopic("lines", Serdes.String(), Serdes.String()).pipeInput("The cat and a cat");
			TestOutputTopic<String, Long> output = driver.outputTopic("word-count-output", Serdes.String(),
					Serdes.Long());
			assertThat(output.readKeyValuesToMap()).containsExactlyInAnyOrderEntriesOf(Map.of("cat", 2L, "and", 1L));
			assertThat(driver.<String, Long>keyValueStore("word-counts").get("cat")).isEqualTo(2L);
		}
	}

	@Test
	void resolvesTheConfigurationFromApplicationYmlAsTheRuntimeWould() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()))) {
			assertThat(driver.definition().applicationId()).isEqualTo("testapp-word-count");
			assertThat(driver.definition().streamsProperties()).containsEntry("topology.optimization", "all")
				.containsEntry("num.stream.threads", "1");
		}
	}

	@Test
	void extraPropertiesOverrideTheConfigurationFiles() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()),
				Map.of("tributary.processors.word-count.application-id", "counting",
						"tributary.streams.num.stream.threads", "3"))) {
			assertThat(driver.definition().applicationId()).isEqualTo("counting");
			assertThat(driver.definition().streamsProperties()).containsEntry("num.stream.threads", "3");
		}
	}

	@Test
	void namesTheStoresThereAreWhenAStoreIsMissing() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()))) {
			assertThatIllegalArgumentException().isThrownBy(() -> driver.keyValueStore("counts"))
				.withMessageContaining("no store 'counts'")
				.withMessageContaining("word-counts");
		}
	}

	@Test
	void rejectsAClassThatIsNotAStreamProcessor() {
		assertThatIllegalArgumentException().isThrownBy(() -> ProcessorTestDriver.of(new StopWords()))
			.withMessageContaining("not annotated with @StreamProcessor");
	}

	@Test
	void reportsConfigurationErrorsAsTheRuntimeWould() {
		assertThatThrownBy(() -> ProcessorTestDriver.of(new WordCount(new StopWords()),
				Map.of("tributary.processors.word-count.application-id", "not valid")))
			.isInstanceOf(ProcessorConfigurationException.class)
			.hasMessageContaining("invalid application id 'not valid'");
	}

	@Test
	void pipesKeyValuePairs() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()))) {
			driver.inputTopic("lines", Serdes.String(), Serdes.String())
				.pipeKeyValueList(java.util.List.of(KeyValue.pair("k1", "dog"), KeyValue.pair("k2", "dog")));
			assertThat(driver.<String, Long>keyValueStore("word-counts").get("dog")).isEqualTo(2L);
		}
	}

}
