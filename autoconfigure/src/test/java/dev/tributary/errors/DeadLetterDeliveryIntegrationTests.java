package dev.tributary.errors;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.actuate.StreamsHealthIndicator;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static dev.tributary.SharedBroker.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters and results that cannot be written, against a real broker: every
 * dead-letter topic exists before it is needed, and a write that can never succeed stops
 * the processor visibly instead of re-processing the same record for ever.
 */
class DeadLetterDeliveryIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	Path stateDir;

	@Test
	void recordsThatFailAfterARepartitionAreDeadLetteredToATopicNamedAfterTheRepartitionTopic() throws Exception {
		String suffix = SharedBroker.unique("repartition");
		SharedBroker.createTopics("words-" + suffix);
		String repartitionTopic = "delivery-" + suffix + "-counter-by-word-repartition";
		try (ConfigurableApplicationContext context = start(CounterApplication.class, suffix,
				"tributary.processors.counter.errors.dead-letter-topic={source-topic}.dlq")) {
			// Created when the processor starts, before any record needs it (the dev
			// broker would create it on the first dead letter otherwise).
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
						.contains(repartitionTopic + ".dlq", "words-" + suffix + ".dlq"));
			}
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("counter").state() == State.RUNNING);
			SharedBroker.send("words-" + suffix, List.of("apple", "poison", "pear", "apple"));
			assertThat(SharedBroker.latestValues("counts-" + suffix, Serdes.Long().deserializer(),
					Map.of("apple", 2L, "pear", 1L), TIMEOUT))
				.containsEntry("apple", 2L)
				.containsEntry("pear", 1L)
				.doesNotContainKey("poison");
			List<ConsumerRecord<String, byte[]>> deadLetters = SharedBroker.read(repartitionTopic + ".dlq",
					new ByteArrayDeserializer(), 1, TIMEOUT);
			assertThat(deadLetters).hasSize(1);
			assertThat(header(deadLetters.get(0), DeadLetterRecords.TOPIC)).isEqualTo(repartitionTopic);
			assertThat(new String(deadLetters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("poison");
			assertThat(registry.get("counter").state()).isEqualTo(State.RUNNING);
		}
	}

	@Test
	void aDeadLetterTheBrokerRefusesStopsTheProcessorInsteadOfReprocessingTheRecordForEver() throws Exception {
		String suffix = SharedBroker.unique("refused");
		SharedBroker.createTopics("numbers-" + suffix);
		String deadLetterTopic = "refusing-dlq-" + suffix;
		// Too small for any dead letter (its headers carry the stack trace).
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(deadLetterTopic, 1, (short) 1)
				.configs(Map.of("max.message.bytes", "300")))).all().get(30, TimeUnit.SECONDS);
		}
		Unlucky.calls.set(0);
		// The default uncaught-exception policy, replace-thread, is what looped.
		try (ConfigurableApplicationContext context = start(UnluckyApplication.class, suffix,
				"tributary.processors.unlucky.errors.dead-letter-topic=" + deadLetterTopic)) {
			ManagedProcessor processor = context.getBean(ProcessorRegistry.class).get("unlucky");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			SharedBroker.send("numbers-" + suffix, List.of("1", "13", "2"));
			await().atMost(TIMEOUT).dontCatchUncaughtExceptions().until(() -> processor.state() == State.ERROR);
			assertThat(Unlucky.calls.get()).as("times the poison record was processed").isBetween(1, 2);
			Health health = context.getBean(StreamsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("unlucky").toString())
				.contains("could not write a dead letter to topic '" + deadLetterTopic + "'")
				.contains("RecordTooLargeException");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("tributary.processor.dead.letter.failures")
				.tags("processor", "unlucky", "topic", deadLetterTopic)
				.counter()
				.count()).isEqualTo(1);
		}
	}

	@Test
	void aDeadLetterTopicThatCannotExistStopsTheProcessorInsteadOfReprocessingTheRecordForEver() {
		String suffix = SharedBroker.unique("no-topic");
		SharedBroker.createTopics("numbers-" + suffix, "collide_dlq-" + suffix);
		// Kafka refuses a topic whose name differs from an existing one only in '.' and '_'.
		String deadLetterTopic = "collide.dlq-" + suffix;
		Unlucky.calls.set(0);
		try (ConfigurableApplicationContext context = start(UnluckyApplication.class, suffix,
				"tributary.processors.unlucky.errors.dead-letter-topic=" + deadLetterTopic,
				"tributary.processors.unlucky.properties.producer.max.block.ms=5000")) {
			ManagedProcessor processor = context.getBean(ProcessorRegistry.class).get("unlucky");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			SharedBroker.send("numbers-" + suffix, List.of("1", "13", "2"));
			await().atMost(TIMEOUT).dontCatchUncaughtExceptions().until(() -> processor.state() == State.ERROR);
			assertThat(Unlucky.calls.get()).as("times the poison record was processed").isBetween(1, 2);
			Health health = context.getBean(StreamsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("unlucky").toString()).contains(deadLetterTopic);
		}
	}

	@Test
	void aDeadLetterTopicNameTheClusterRefusesStopsTheProcessorInsteadOfReprocessingTheRecordForEver() {
		// Kafka Streams fails the thread for an invalid topic (or a missing authorization)
		// before any handler sees it: here {source-topic}.dlq is longer than 249 characters.
		String suffix = SharedBroker.unique("long");
		String source = "numbers-" + "n".repeat(247 - "numbers-".length() - suffix.length()) + suffix;
		String deadLetterTopic = source + ".dlq";
		SharedBroker.createTopics(source);
		Unlucky.calls.set(0);
		// The topology reads numbers-<test.suffix>; the application id stays short.
		try (ConfigurableApplicationContext context = start(UnluckyApplication.class, source.substring(8),
				"spring.application.name=delivery-" + suffix,
				"tributary.processors.unlucky.errors.dead-letter-topic={source-topic}.dlq")) {
			ManagedProcessor processor = context.getBean(ProcessorRegistry.class).get("unlucky");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			SharedBroker.send(source, List.of("1", "13", "2"));
			await().atMost(TIMEOUT).dontCatchUncaughtExceptions().until(() -> processor.state() == State.ERROR);
			assertThat(Unlucky.calls.get()).as("times the poison record was processed").isBetween(1, 2);
			Health health = context.getBean(StreamsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("unlucky").toString()).contains(deadLetterTopic)
				.contains("InvalidTopicException");
			assertThat(context.getBean(MeterRegistry.class)
				.get("tributary.processor.dead.letter.failures")
				.tags("processor", "unlucky", "topic", deadLetterTopic)
				.counter()
				.count()).isEqualTo(1);
		}
	}

	@Test
	void underExactlyOnceAResultOverMaxRequestSizeStopsTheProcessorAndNothingIsCommittedTwice() {
		String suffix = SharedBroker.unique("eos-large");
		SharedBroker.createTopics("texts-" + suffix);
		Copier.largeCalls.set(0);
		try (ConfigurableApplicationContext context = start(CopierApplication.class, suffix,
				"tributary.processors.copier.properties.processing.guarantee=exactly_once_v2",
				"tributary.processors.copier.properties.producer.max.request.size=1024")) {
			ManagedProcessor processor = context.getBean(ProcessorRegistry.class).get("copier");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			SharedBroker.send("texts-" + suffix, List.of("a", "b"));
			assertThat(SharedBroker.read("copies-" + suffix, new StringDeserializer(), 2, TIMEOUT))
				.extracting(ConsumerRecord::value)
				.containsExactlyInAnyOrder("a", "b");
			SharedBroker.send("texts-" + suffix, List.of("x".repeat(2000), "c"));
			await().atMost(TIMEOUT).dontCatchUncaughtExceptions().until(() -> processor.state() == State.ERROR);
			assertThat(Copier.largeCalls.get()).as("times the large record was processed").isBetween(1, 2);
			// read_committed: what came before is there exactly once; the aborted
			// transaction left nothing behind, neither the result nor a dead letter.
			assertThat(SharedBroker.read("copies-" + suffix, new StringDeserializer(), 3, Duration.ofSeconds(5)))
				.extracting(ConsumerRecord::value)
				.containsExactlyInAnyOrder("a", "b");
			assertThat(SharedBroker.read("delivery-" + suffix + "-copier-dlq", new ByteArrayDeserializer(), 1,
					Duration.ofSeconds(3))).isEmpty();
			Health health = context.getBean(StreamsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("copier").toString()).contains("topic 'copies-" + suffix + "'")
				.contains("max.request.size")
				.contains("Under exactly-once a failed write aborts the whole transaction");
		}
	}

	@Test
	void aStoreUpdateItsChangelogRefusesStopsTheProcessorInsteadOfBeingDeadLettered() {
		String suffix = SharedBroker.unique("changelog");
		SharedBroker.createTopics("notes-" + suffix);
		String changelog = "delivery-" + suffix + "-notebook-latest-changelog";
		try (ConfigurableApplicationContext context = start(NotebookApplication.class, suffix)) {
			ManagedProcessor processor = context.getBean(ProcessorRegistry.class).get("notebook");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			SharedBroker.send("notes-" + suffix, List.of("short", "y".repeat(3000)));
			await().atMost(TIMEOUT).dontCatchUncaughtExceptions().until(() -> processor.state() == State.ERROR);
			Health health = context.getBean(StreamsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("notebook").toString())
				.contains("changelog topic '" + changelog + "'")
				.contains("never skipped or dead-lettered");
			assertThat(SharedBroker.read("delivery-" + suffix + "-notebook-dlq", new ByteArrayDeserializer(), 1,
					Duration.ofSeconds(3))).isEmpty();
		}
	}

	private ConfigurableApplicationContext start(Class<?> application, String suffix, String... properties) {
		return SharedBroker.startApplication(application, "delivery-" + suffix, suffix, this.stateDir,
				properties);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Counter.class)
	static class CounterApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Unlucky.class)
	static class UnluckyApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Copier.class)
	static class CopierApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Notebook.class)
	static class NotebookApplication {

	}

	/** Counts words after a repartition; the word "poison" fails in the aggregation. */
	@StreamProcessor("counter")
	static class Counter {

		private final String suffix;

		Counter(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupBy((key, word) -> word, Grouped.with("by-word", Serdes.String(), Serdes.String()))
				.aggregate(() -> 0L, (word, value, count) -> {
					if (word.equals("poison")) {
						throw new IllegalArgumentException("poison word");
					}
					return count + 1;
				}, Materialized.with(Serdes.String(), Serdes.Long()))
				.toStream()
				.to("counts-" + this.suffix, Produced.with(Serdes.String(), Serdes.Long()));
		}

	}

	/** Fails on 13 and counts how often it saw it. */
	@StreamProcessor("unlucky")
	static class Unlucky {

		static final AtomicInteger calls = new AtomicInteger();

		private final String suffix;

		Unlucky(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("numbers-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.mapValues((value) -> {
					if (value.equals("13")) {
						calls.incrementAndGet();
						throw new IllegalArgumentException("unlucky number 13");
					}
					return value;
				})
				.to("results-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

	/** Copies texts and counts how often it saw a large one. */
	@StreamProcessor("copier")
	static class Copier {

		static final AtomicInteger largeCalls = new AtomicInteger();

		private final String suffix;

		Copier(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("texts-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.peek((key, value) -> {
					if (value.length() > 1000) {
						largeCalls.incrementAndGet();
					}
				})
				.to("copies-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

	/** Keeps the latest note per key in a store whose changelog takes at most 1 KB. */
	@StreamProcessor("notebook")
	static class Notebook {

		private final String suffix;

		Notebook(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("notes-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey()
				.reduce((previous, latest) -> latest,
						Materialized.<String, String, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("latest")
							.withKeySerde(Serdes.String())
							.withValueSerde(Serdes.String())
							.withCachingDisabled()
							.withLoggingEnabled(Map.of("max.message.bytes", "1024")))
				.toStream()
				.to("latest-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

}
