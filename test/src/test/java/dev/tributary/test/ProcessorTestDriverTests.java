package dev.tributary.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import dev.tributary.rocksdb.RocksDbStores;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.testclock.WallClockEcho;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

	@Test
	void keepsItsStateInATemporaryDirectoryOfItsOwnAndDeletesItOnClose(@TempDir Path applicationStateDir)
			throws IOException {
		Path stateDir;
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()),
				Map.of("tributary.streams.state.dir", applicationStateDir.toString()))) {
			driver.inputTopic("lines", Serdes.String(), Serdes.String()).pipeInput("stateful");
			assertThat(driver.<String, Long>keyValueStore("word-counts").get("stateful")).isEqualTo(1L);
			stateDir = driver.stateDir();
			assertThat(stateDir.resolve("testapp-word-count")).isDirectory();
			try (Stream<Path> files = Files.list(applicationStateDir)) {
				assertThat(files).as("the application's state.dir").isEmpty();
			}
		}
		assertThat(stateDir).doesNotExist();
	}

	@Test
	void startsTheWallClockNowUnlessTold() {
		long before = System.currentTimeMillis();
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WallClockEcho())) {
			driver.inputTopic("ticks", Serdes.String(), Serdes.String()).pipeInput("tick");
			assertThat(driver.outputTopic("wall-clock", Serdes.String(), Serdes.Long()).readValue())
				.isBetween(before, System.currentTimeMillis());
		}
		Instant start = Instant.parse("2024-01-01T00:00:00Z");
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WallClockEcho(), Map.of(), start)) {
			driver.advanceWallClockTime(java.time.Duration.ofSeconds(5));
			driver.inputTopic("ticks", Serdes.String(), Serdes.String()).pipeInput("tick");
			assertThat(driver.outputTopic("wall-clock", Serdes.String(), Serdes.Long()).readValue())
				.isEqualTo(start.plusSeconds(5).toEpochMilli());
		}
	}

	@Test
	void readsTheConfigurationFilesAsSpringBootDoes() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()))) {
			// application.yml's profile document applies only with its profile active.
			assertThat(driver.definition().streamsProperties()).doesNotContainKey("buffered.records.per.partition")
				.doesNotContainKey("max.task.idle.ms");
		}
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()),
				Map.of("spring.profiles.active", "driver"))) {
			assertThat(driver.definition().streamsProperties()).containsEntry("buffered.records.per.partition", "7")
				.containsEntry("max.task.idle.ms", "11") // application-driver.yml
				.containsEntry("poll.ms", "13") // its spring.config.import
				.containsEntry("topology.optimization", "all");
		}
	}

	@Test
	void appliesTheRocksDbConfigurationAndReleasesItsMemoryOnClose() {
		RocksDbStores stores;
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount(new StopWords()),
				Map.of("tributary.rocksdb.total-off-heap-memory", "8MB"))) {
			stores = (RocksDbStores) driver.definition().streamsProperties().get(RocksDbStores.CONFIG_KEY);
			assertThat(stores.memory().capacity()).isEqualTo(8L * 1024 * 1024);
			driver.inputTopic("lines", Serdes.String(), Serdes.String()).pipeInput("bounded bounded");
			assertThat(driver.<String, Long>keyValueStore("word-counts").get("bounded")).isEqualTo(2L);
		}
		assertThat(stores.memory().isClosed()).isTrue();
	}

	@Test
	void validatesTheRocksDbConfigurationAsTheApplicationWould() {
		assertThatThrownBy(() -> ProcessorTestDriver.of(new WordCount(new StopWords()),
				Map.of("tributary.rocksdb.total-off-heap-memory", "8MB", "tributary.rocksdb.memtable-share", "2")))
			.isInstanceOf(ProcessorConfigurationException.class)
			.hasMessageContaining("tributary.rocksdb.memtable-share is 2.0");
	}

}
