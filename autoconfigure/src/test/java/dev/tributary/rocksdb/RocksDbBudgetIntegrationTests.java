package dev.tributary.rocksdb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A working set far larger than the RocksDB budget, against a real in-process broker:
 * the budget bounds memory, it must not kill stream threads.
 */
class RocksDbBudgetIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	/** 40 MB of distinct 1 KB values, ten times the 4 MB budget. */
	private static final int RECORDS = 40_000;

	private static final String VALUE_PADDING = "v".repeat(1000);

	@TempDir
	Path stateDir;

	@Test
	void workingSetLargerThanTheBudgetIsProcessedWithoutAThreadDyingByDefault() {
		String suffix = SharedBroker.unique("budget");
		SharedBroker.createTopics("values-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix)) {
			ManagedProcessor processor = context.getBean(ProcessorRegistry.class).get("latest");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			sendDistinctKeys("values-" + suffix);
			AtomicLong processed = context.getBean(Latest.class).processed;
			// Every record reads its key from the store (a point read) and writes it back.
			await().atMost(TIMEOUT)
				.until(() -> processed.get() >= RECORDS || processor.lastUncaughtException().isPresent());
			assertThat(processor.lastUncaughtException()).isEmpty();
			assertThat(processed.get()).isEqualTo(RECORDS);
			assertThat(processor.state()).isEqualTo(State.RUNNING);
			assertThat(processor.aliveThreadCount()).isEqualTo(1);
			assertThat(context.getBean(SharedRocksDbMemory.class).strictCapacityLimit()).isFalse();
		}
	}

	private static void sendDistinctKeys(String topic) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers(),
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.LINGER_MS_CONFIG, 20);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
			for (int i = 0; i < RECORDS; i++) {
				String key = String.format("key-%07d", i);
				producer.send(new ProducerRecord<>(topic, key, key + VALUE_PADDING));
			}
			producer.flush();
		}
	}

	private ConfigurableApplicationContext start(String suffix, String... properties) {
		return new SpringApplicationBuilder(TestApplication.class, LatestProcessor.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=budget-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=100",
					// No record cache in front of RocksDB: every record reads and writes the store.
					"tributary.streams.statestore.cache.max.bytes=0", "tributary.close-timeout=10s",
					"tributary.rocksdb.total-off-heap-memory=4MB")
			.properties(properties)
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

	@Import(Latest.class)
	static class LatestProcessor {

	}

	@StreamProcessor("latest")
	static class Latest {

		final AtomicLong processed = new AtomicLong();

		private final String suffix;

		Latest(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("values-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey()
				.reduce((previous, latest) -> latest, Materialized.as("latest-values"))
				.toStream()
				.foreach((key, value) -> this.processed.incrementAndGet());
		}

	}

}
