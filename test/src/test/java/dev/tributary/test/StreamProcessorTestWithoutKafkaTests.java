package dev.tributary.test;

import dev.tributary.rocksdb.RocksDbStores;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

@StreamProcessorTest(kafka = false, properties = "tributary.rocksdb.total-off-heap-memory=16MB")
@Import(StopWords.class)
class StreamProcessorTestWithoutKafkaTests {

	@Autowired
	ProcessorRegistry processors;

	@Test
	void runsASpringWiredProcessorOnTheTestDriver() {
		assertThat(this.processors.get("word-count").isStarted()).isFalse();
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(this.processors.get("word-count"))) {
			driver.inputTopic("lines", Serdes.String(), Serdes.String()).pipeInput("the wired stop word filter");
			assertThat(driver.<String, Long>keyValueStore("word-counts").get("wired")).isEqualTo(1L);
			assertThat(driver.<String, Long>keyValueStore("word-counts").get("the")).isNull();
			assertThat(driver.definition().applicationId()).isEqualTo("testapp-word-count");
			// The slice applies tributary.rocksdb.* as the application does.
			assertThat(driver.definition().streamsProperties()).containsKey(RocksDbStores.CONFIG_KEY)
				.containsKey("rocksdb.config.setter");
		}
	}

}
