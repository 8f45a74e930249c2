package dev.tributary.errors;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.actuate.StreamsHealthIndicator;
import dev.tributary.query.QueryException;
import dev.tributary.query.StateStoreQueryService;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static dev.tributary.SharedBroker.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Bad records against a real broker: nothing valid is lost, nothing bad goes missing.
 */
class ErrorHandlingIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path stateDir;

	@Test
	void poisonRecordsGoToTheDeadLetterTopicAndEveryValidRecordIsProcessed() throws Exception {
		String suffix = SharedBroker.unique("poison");
		SharedBroker.createTopics("numbers-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("doubler").state() == State.RUNNING);
			List<Long> valid = new ArrayList<>();
			try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
					Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new ByteArraySerializer(),
					new ByteArraySerializer())) {
				for (long i = 1; i <= 40; i++) {
					byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
					if (i % 8 == 0) {
						// not a long: fails to deserialize
						producer.send(new ProducerRecord<>("numbers-" + suffix, key, ("bad-" + i).getBytes()));
					}
					else {
						valid.add(i);
						producer.send(new ProducerRecord<>("numbers-" + suffix, key, new LongSerializer().serialize(null, i)));
					}
				}
			}
			// 13 and 26 make the topology throw: processing errors.
			List<Long> expectedOutput = valid.stream().filter((i) -> i != 13 && i != 26).map((i) -> i * 2).toList();
			List<ConsumerRecord<String, Long>> output = SharedBroker.read("doubled-" + suffix, new LongDeserializer(),
					expectedOutput.size(), TIMEOUT);
			assertThat(output).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(expectedOutput);

			List<ConsumerRecord<String, byte[]>> deadLetters = SharedBroker.read("errors-test-" + suffix + "-doubler-dlq",
					new ByteArrayDeserializer(), 7, TIMEOUT);
			assertThat(deadLetters).hasSize(7);
			List<ConsumerRecord<String, byte[]>> undeserializable = deadLetters.stream()
				.filter((record) -> header(record, DeadLetterRecords.EXCEPTION).contains("SerializationException"))
				.toList();
			assertThat(undeserializable).extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
				.containsExactlyInAnyOrder("bad-8", "bad-16", "bad-24", "bad-32", "bad-40");
			assertThat(undeserializable).allSatisfy((record) -> {
				assertThat(header(record, DeadLetterRecords.TOPIC)).isEqualTo("numbers-" + suffix);
				assertThat(header(record, DeadLetterRecords.PARTITION)).matches("[0-9]+");
				assertThat(header(record, DeadLetterRecords.OFFSET)).matches("[0-9]+");
				assertThat(header(record, DeadLetterRecords.TIMESTAMP)).matches("[0-9]+");
				assertThat(header(record, DeadLetterRecords.PROCESSOR)).isEqualTo("doubler");
				assertThat(header(record, DeadLetterRecords.MESSAGE)).isNotBlank();
				assertThat(header(record, DeadLetterRecords.STACKTRACE)).contains("at ");
			});
			List<ConsumerRecord<String, byte[]>> failedProcessing = deadLetters.stream()
				.filter((record) -> header(record, DeadLetterRecords.EXCEPTION).contains("IllegalArgumentException"))
				.toList();
			assertThat(failedProcessing).extracting((record) -> new LongDeserializer().deserialize(null, record.value()))
				.containsExactlyInAnyOrder(13L, 26L);
			assertThat(failedProcessing).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("k13", "k26");

			assertThat(registry.get("doubler").state()).isEqualTo(State.RUNNING);
			assertThat(context.getBean(StreamsHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UP);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("tributary.processor.errors")
				.tags("processor", "doubler", "kind", "deserialization", "outcome", "dead-letter")
				.counter()
				.count()).isEqualTo(5);
			assertThat(meters.get("tributary.processor.errors")
				.tags("processor", "doubler", "kind", "processing", "outcome", "dead-letter")
				.counter()
				.count()).isEqualTo(2);
		}
	}

	@Test
	void logAndContinueSkipsBadRecordsAndCountsThem() {
		String suffix = SharedBroker.unique("skip");
		SharedBroker.createTopics("numbers-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, "tributary.errors.deserialization=log-and-continue",
				"tributary.processors.doubler.errors.processing=log-and-continue")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("doubler").state() == State.RUNNING);
			sendRaw("numbers-" + suffix, List.of(new LongSerializer().serialize(null, 1L), "bad".getBytes(),
					new LongSerializer().serialize(null, 13L), new LongSerializer().serialize(null, 2L)));
			assertThat(SharedBroker.read("doubled-" + suffix, new LongDeserializer(), 2, TIMEOUT))
				.extracting(ConsumerRecord::value)
				.containsExactlyInAnyOrder(2L, 4L);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(meters.get("tributary.processor.errors")
					.tags("processor", "doubler", "outcome", "log-and-continue")
					.counters()).extracting((counter) -> counter.count()).containsExactlyInAnyOrder(1.0, 1.0));
			assertThat(SharedBroker.read("errors-test-" + suffix + "-doubler-dlq", new ByteArrayDeserializer(), 1,
					Duration.ofSeconds(2))).isEmpty();
		}
	}

	@Test
	void failAppliesTheUncaughtExceptionPolicyAndHealthReportsIt() {
		String suffix = SharedBroker.unique("fail");
		SharedBroker.createTopics("numbers-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, "tributary.errors.processing=fail",
				"tributary.uncaught-exception-policy=shutdown-client")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("doubler").state() == State.RUNNING);
			sendRaw("numbers-" + suffix, List.of(new LongSerializer().serialize(null, 13L)));
			await().atMost(TIMEOUT).until(() -> registry.get("doubler").state() == State.ERROR);
			var health = context.getBean(StreamsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("doubler").toString()).contains("unlucky number 13");
		}
	}

	@Test
	void aBadRecordInAGlobalTableTopicIsSkippedNotFatal() {
		// The global thread cannot dead-letter: with the default dead-letter setting the
		// record must be skipped (it stays in its topic), not kill the processor.
		String suffix = SharedBroker.unique("global");
		SharedBroker.createTopics("rates-" + suffix, "orders-" + suffix);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GlobalApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=errors-test-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.close-timeout=10s")
			.run();
				KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
						Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(),
						new ByteArraySerializer())) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("pricer").state() == State.RUNNING);
			// After start-up the global thread deserializes what arrives (a restore copies bytes).
			producer.send(new ProducerRecord<>("rates-" + suffix, "eur", new LongSerializer().serialize(null, 2L)));
			producer.send(new ProducerRecord<>("rates-" + suffix, "usd", "not a long".getBytes(StandardCharsets.UTF_8)));
			producer.send(new ProducerRecord<>("rates-" + suffix, "gbp", new LongSerializer().serialize(null, 3L)));
			producer.flush();
			KafkaStreams streams = registry.get("pricer").kafkaStreams().orElseThrow();
			await().atMost(TIMEOUT).until(() -> streams.state() == State.ERROR || streams
				.store(StoreQueryParameters.fromNameAndType("rates", QueryableStoreTypes.<String, Long>keyValueStore()))
				.get("gbp") != null);
			assertThat(streams.state()).isEqualTo(State.RUNNING);
			sendRaw("orders-" + suffix, List.of("eur".getBytes(StandardCharsets.UTF_8),
					"gbp".getBytes(StandardCharsets.UTF_8)));
			assertThat(SharedBroker.read("priced-" + suffix, new LongDeserializer(), 2, TIMEOUT))
				.extracting(ConsumerRecord::value)
				.containsExactlyInAnyOrder(20L, 30L);
			assertThat(registry.get("pricer").isFailed()).isFalse();
			// Interactive queries v2 cannot read global stores: a 400 that says so.
			assertThatExceptionOfType(QueryException.class)
				.isThrownBy(() -> context.getBean(StateStoreQueryService.class).get("pricer", "rates", "eur", null))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(dev.tributary.query.QueryException.Reason.BAD_REQUEST))
				.withMessageContaining("global store");
		}
	}

	private static void sendRaw(String topic, List<byte[]> values) {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			for (byte[] value : values) {
				producer.send(new ProducerRecord<>(topic, "k", value));
			}
		}
	}

	private ConfigurableApplicationContext start(String suffix, String... properties) {
		return SharedBroker.startApplication(ErrorsApplication.class, "errors-test-" + suffix, suffix, this.stateDir,
				properties);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Doubler.class)
	static class ErrorsApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Pricer.class)
	static class GlobalApplication {

	}

	@StreamProcessor("pricer")
	static class Pricer {

		private final String suffix;

		Pricer(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			GlobalKTable<String, Long> rates = builder.globalTable("rates-" + this.suffix,
					Consumed.with(Serdes.String(), Serdes.Long()), Materialized.as("rates"));
			builder.stream("orders-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.join(rates, (key, currency) -> currency, (currency, rate) -> rate * 10)
				.to("priced-" + this.suffix, Produced.with(Serdes.String(), Serdes.Long()));
		}

	}

	@StreamProcessor("doubler")
	static class Doubler {

		private final String suffix;

		Doubler(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("numbers-" + this.suffix, Consumed.with(Serdes.String(), Serdes.Long()))
				.mapValues((value) -> {
					if (value == 13 || value == 26) {
						throw new IllegalArgumentException("unlucky number " + value);
					}
					return value * 2;
				})
				.to("doubled-" + this.suffix, Produced.with(Serdes.String(), Serdes.Long()));
		}

	}

}
