package dev.tributary.errors;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static dev.tributary.SharedBroker.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a dead letter holds, against a real broker, in the cases where Kafka Streams'
 * own context is not enough: fan-out, re-driven dead letters, punctuations; and that
 * handled records do not flood the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeadLetterIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	Path stateDir;

	@ParameterizedTest
	@ValueSource(strings = { "at-least-once", "exactly-once" })
	void aDeadLetterAfterFanOutKeepsTheSourceRecordsOriginalBytes(String guarantee) {
		String suffix = SharedBroker.unique("fanout");
		SharedBroker.createTopics("numbers-" + suffix, "all-" + suffix, "picky-" + suffix);
		try (ConfigurableApplicationContext context = start(FanOutApplication.class, suffix,
				"tributary.guarantee=" + guarantee)) {
			awaitRunning(context, "fanout");
			send("numbers-" + suffix, Map.of("k1", 1L, "k13", 13L, "k26", 26L, "k2", 2L));
			// The first sink sends every record, which releases the source bytes in Kafka
			// Streams; then 13 fails to serialize and 26 fails to process in the second branch.
			assertThat(SharedBroker.read("all-" + suffix, new LongDeserializer(), 4, TIMEOUT))
				.extracting(ConsumerRecord::value)
				.containsExactlyInAnyOrder(1L, 13L, 26L, 2L);
			assertThat(SharedBroker.read("picky-" + suffix, new LongDeserializer(), 2, TIMEOUT))
				.extracting(ConsumerRecord::value)
				.containsExactlyInAnyOrder(1L, 2L);
			List<ConsumerRecord<String, byte[]>> deadLetters = SharedBroker.read(dlq(suffix, "fanout"),
					new ByteArrayDeserializer(), 2, TIMEOUT);
			assertThat(deadLetters).hasSize(2);
			assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("k13", "k26");
			assertThat(deadLetters).allSatisfy((deadLetter) -> {
				long original = Long.parseLong(deadLetter.key().substring(1));
				assertThat(deadLetter.value()).isEqualTo(new LongSerializer().serialize(null, original));
				assertThat(header(deadLetter, DeadLetterRecords.TOPIC)).isEqualTo("numbers-" + suffix);
			});
			assertThat(deadLetters).extracting((deadLetter) -> header(deadLetter, DeadLetterRecords.EXCEPTION))
				.containsExactlyInAnyOrder(IllegalStateException.class.getName(),
						IllegalArgumentException.class.getName());
			assertThat(context.getBean(ProcessorRegistry.class).get("fanout").state()).isEqualTo(State.RUNNING);
		}
	}

	@Test
	void theFirstResultTheBrokerRefusesIsDeadLetteredAtOnceAndTheProcessorKeepsGoing() throws Exception {
		// No dead letter was sent before in this run, so Kafka Streams' producer does not know
		// the dead-letter topic: sending it from the producer's own callback would wait
		// max.block.ms for metadata that only the blocked thread could fetch.
		String suffix = SharedBroker.unique("refused");
		SharedBroker.createTopics("letters-" + suffix);
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic("small-" + suffix, Optional.of(1), Optional.empty())
				.configs(Map.of("max.message.bytes", "2000")))).all().get(30, TimeUnit.SECONDS);
		}
		try (ConfigurableApplicationContext context = start(ReDriveApplication.class, suffix,
				"tributary.processors.redrive.properties.producer.max.block.ms=20000")) {
			awaitRunning(context, "redrive");
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(
					Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(),
					new StringSerializer())) {
				producer.send(new ProducerRecord<>("letters-" + suffix, "big", "big"));
				producer.send(new ProducerRecord<>("letters-" + suffix, "small", "small"));
			}
			long start = System.nanoTime();
			List<ConsumerRecord<String, byte[]>> deadLetters = SharedBroker.read(dlq(suffix, "redrive"),
					new ByteArrayDeserializer(), 1, TIMEOUT);
			assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactly("big");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to the dead letter")
				.isLessThan(Duration.ofSeconds(15));
			assertThat(headers(deadLetters.get(0), DeadLetterRecords.EXCEPTION))
				.containsExactly("org.apache.kafka.common.errors.RecordTooLargeException");
			assertThat(SharedBroker.read("small-" + suffix, new StringDeserializer(), 1, TIMEOUT))
				.extracting(ConsumerRecord::value)
				.containsExactly("small");
			assertThat(context.getBean(ProcessorRegistry.class).get("redrive").state()).isEqualTo(State.RUNNING);
		}
	}

	@Test
	void aReDrivenDeadLetterWhoseOutputIsRefusedIsDeadLetteredAgainWithItsOwnErrorHeaders() throws Exception {
		String suffix = SharedBroker.unique("redrive");
		SharedBroker.createTopics("letters-" + suffix);
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic("small-" + suffix, Optional.of(1), Optional.empty())
				.configs(Map.of("max.message.bytes", "2000")))).all().get(30, TimeUnit.SECONDS);
		}
		try (ConfigurableApplicationContext context = start(ReDriveApplication.class, suffix)) {
			awaitRunning(context, "redrive");
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(
					Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(),
					new StringSerializer())) {
				// As a dead letter copied back to its topic would be: it carries the
				// __streams.errors.* headers of its first failure.
				ProducerRecord<String, String> redriven = new ProducerRecord<>("letters-" + suffix, "big", "big");
				redriven.headers().add(DeadLetterRecords.EXCEPTION, bytes("com.example.OldException"));
				redriven.headers().add(DeadLetterRecords.TOPIC, bytes("old-topic"));
				redriven.headers().add("trace-id", bytes("t-1"));
				// First a processing error, whose dead letter is sent from the stream thread:
				// Kafka Streams sends the dead letter of a refused result from the producer's
				// own network thread, which waits max.block.ms (then retries the task) if the
				// producer does not know the dead-letter topic yet.
				producer.send(new ProducerRecord<>("letters-" + suffix, "boom", "boom"));
				producer.flush();
				assertThat(SharedBroker.read(dlq(suffix, "redrive"), new ByteArrayDeserializer(), 1, TIMEOUT))
					.hasSize(1);
				producer.send(redriven);
				producer.send(new ProducerRecord<>("letters-" + suffix, "small", "small"));
			}
			// The refused result goes to the dead-letter topic; the processor keeps going.
			assertThat(SharedBroker.read("small-" + suffix, new StringDeserializer(), 1, TIMEOUT))
				.extracting(ConsumerRecord::value)
				.containsExactly("small");
			List<ConsumerRecord<String, byte[]>> deadLetters = SharedBroker.read(dlq(suffix, "redrive"),
					new ByteArrayDeserializer(), 2, TIMEOUT);
			assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("boom", "big");
			ConsumerRecord<String, byte[]> deadLetter = deadLetters.stream()
				.filter((record) -> record.key().equals("big"))
				.findFirst()
				.orElseThrow();
			assertThat(headers(deadLetter, DeadLetterRecords.EXCEPTION))
				.containsExactly("org.apache.kafka.common.errors.RecordTooLargeException");
			assertThat(headers(deadLetter, DeadLetterRecords.TOPIC)).containsExactly("letters-" + suffix);
			assertThat(headers(deadLetter, DeadLetterRecords.OUTPUT_TOPIC)).containsExactly("small-" + suffix);
			assertThat(headers(deadLetter, "trace-id")).containsExactly("t-1");
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			assertThat(registry.get("redrive").state()).isEqualTo(State.RUNNING);
			assertThat(context.getBean(MeterRegistry.class)
				.get("tributary.processor.errors")
				.tags("processor", "redrive", "kind", "production", "outcome", "dead-letter")
				.counter()
				.count()).isEqualTo(1);
		}
	}

	@Test
	void aFailingPunctuationWritesAnEmptyDeadLetterThatNamesTheNodeAndTask(CapturedOutput output) {
		String suffix = SharedBroker.unique("punctuate");
		SharedBroker.createTopics("ticks-" + suffix);
		try (ConfigurableApplicationContext context = start(PunctuatorApplication.class, suffix,
				"tributary.errors.dead-letter-topic={source-topic}-{application-id}-dlq")) {
			awaitRunning(context, "ticker");
			String topic = "punctuation-errors-test-" + suffix + "-ticker-dlq";
			List<ConsumerRecord<byte[], byte[]>> deadLetters = readBytes(topic, 1);
			assertThat(deadLetters).hasSize(1);
			ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
			assertThat(deadLetter.key()).isNull();
			assertThat(deadLetter.value()).isNull();
			assertThat(headers(deadLetter, DeadLetterRecords.EXCEPTION))
				.containsExactly(IllegalStateException.class.getName());
			assertThat(headers(deadLetter, DeadLetterRecords.MESSAGE)).containsExactly("the clock struck 13");
			assertThat(headers(deadLetter, DeadLetterRecords.NODE)).containsExactly("ticking");
			assertThat(headers(deadLetter, DeadLetterRecords.TASK)).singleElement().asString().matches("0_[0-9]+");
			assertThat(headers(deadLetter, DeadLetterRecords.PROCESSOR)).containsExactly("ticker");
			assertThat(headers(deadLetter, DeadLetterRecords.TIMESTAMP)).singleElement().asString().matches("[0-9]+");
			// No made-up source position for a record that does not exist.
			assertThat(headers(deadLetter, DeadLetterRecords.TOPIC)).isEmpty();
			assertThat(headers(deadLetter, DeadLetterRecords.OFFSET)).isEmpty();
			assertThat(headers(deadLetter, DeadLetterRecords.PARTITION)).isEmpty();
			assertThat(context.getBean(MeterRegistry.class)
				.get("tributary.processor.errors")
				.tags("processor", "ticker", "kind", "processing", "outcome", "dead-letter")
				.counter()
				.count()).isEqualTo(1);
			assertThat(output.getAll()).contains("Processor 'ticker': processing error in a punctuation of node "
					+ "'ticking'");
			assertThat(context.getBean(ProcessorRegistry.class).get("ticker").state()).isEqualTo(State.RUNNING);
		}
	}

	@Test
	void aHundredHandledRecordsLeaveOnlyAFewLogLines(CapturedOutput output) {
		String suffix = SharedBroker.unique("quiet");
		SharedBroker.createTopics("numbers-" + suffix, "all-" + suffix, "picky-" + suffix);
		try (ConfigurableApplicationContext context = start(FanOutApplication.class, suffix)) {
			awaitRunning(context, "fanout");
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
					Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(),
					new ByteArraySerializer())) {
				for (int i = 0; i < 100; i++) {
					// not a long: fails to deserialize
					producer.send(new ProducerRecord<>("numbers-" + suffix, "bad" + i, bytes("not a long")));
					// 13 fails to serialize for the second sink
					producer.send(new ProducerRecord<>("numbers-" + suffix, "13-" + i,
							new LongSerializer().serialize(null, 13L)));
				}
			}
			assertThat(SharedBroker.read(dlq(suffix, "fanout"), new ByteArrayDeserializer(), 200, TIMEOUT))
				.hasSize(200);
			String log = output.getAll();
			assertThat(log).doesNotContain("Skipping record due to deserialization error")
				.doesNotContain("Unable to serialize record");
			// Tributary's own lines: the first of each kind, then one per kind every 10 s.
			assertThat(log.lines().filter((line) -> line.contains("fanout") && line.contains("error on")).count())
				.isBetween(2L, 20L);
			// Reading back the 100 records whose bytes were released must not log per record
			// either (the consumer logs every seek at INFO): runs of failures read on.
			assertThat(log.lines()
				.filter((line) -> line.contains("fanout-dead-letter-reader") && line.contains("Seeking to offset"))
				.count()).isLessThanOrEqualTo(4);
		}
	}

	private ConfigurableApplicationContext start(Class<?> application, String suffix, String... properties) {
		return SharedBroker.startApplication(application, "errors-test-" + suffix, suffix, this.stateDir,
				properties);
	}

	private static void awaitRunning(ConfigurableApplicationContext context, String processor) {
		ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
		await().atMost(TIMEOUT).until(() -> registry.get(processor).state() == State.RUNNING);
	}

	private static String dlq(String suffix, String processor) {
		return "errors-test-" + suffix + "-" + processor + "-dlq";
	}

	private static void send(String topic, Map<String, Long> records) {
		try (KafkaProducer<String, Long> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(),
				new LongSerializer())) {
			records.forEach((key, value) -> producer.send(new ProducerRecord<>(topic, key, value)));
		}
	}

	private static List<ConsumerRecord<byte[], byte[]>> readBytes(String topic, int expected) {
		List<ConsumerRecord<String, byte[]>> records = SharedBroker.read(topic, new ByteArrayDeserializer(), expected,
				TIMEOUT);
		// Keys are read as strings by the shared helper; a null key stays null.
		return records.stream()
			.map((record) -> {
				ConsumerRecord<byte[], byte[]> bytes = new ConsumerRecord<>(record.topic(), record.partition(),
						record.offset(), (record.key() != null) ? bytes(record.key()) : null, record.value());
				record.headers().forEach((header) -> bytes.headers().add(header));
				return bytes;
			})
			.toList();
	}

	private static List<String> headers(ConsumerRecord<?, ?> record, String name) {
		return StreamSupport.stream(record.headers().headers(name).spliterator(), false)
			.map(Header::value)
			.map((value) -> new String(value, StandardCharsets.UTF_8))
			.toList();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(FanOut.class)
	static class FanOutApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReDrive.class)
	static class ReDriveApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Ticker.class)
	static class PunctuatorApplication {

	}

	/**
	 * Every number goes to one topic as it is, and to a second one through a step that
	 * throws for 26 and a serializer that throws for 13.
	 */
	@StreamProcessor("fanout")
	static class FanOut {

		private final String suffix;

		FanOut(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			KStream<String, Long> numbers = builder.stream("numbers-" + this.suffix,
					Consumed.with(Serdes.String(), Serdes.Long()));
			numbers.to("all-" + this.suffix, Produced.with(Serdes.String(), Serdes.Long()));
			numbers.mapValues((value) -> {
				if (value == 26) {
					throw new IllegalArgumentException("unlucky number " + value);
				}
				return value;
			}).to("picky-" + this.suffix, Produced.with(Serdes.String(), picky()));
		}

		private static Serde<Long> picky() {
			return Serdes.serdeFrom((topic, value) -> {
				if (value == 13) {
					throw new IllegalStateException("13 cannot be written");
				}
				return new LongSerializer().serialize(topic, value);
			}, new LongDeserializer());
		}

	}

	/**
	 * Copies letters to a topic that refuses records over 2000 bytes; "big" becomes 20 KB,
	 * "boom" throws.
	 */
	@StreamProcessor("redrive")
	static class ReDrive {

		private final String suffix;

		ReDrive(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("letters-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.mapValues((value) -> switch (value) {
					case "big" -> "x".repeat(20_000);
					case "boom" -> throw new IllegalArgumentException("boom");
					default -> value;
				})
				.to("small-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

	/** A processor whose wall-clock punctuator throws the first time it runs. */
	@StreamProcessor("ticker")
	static class Ticker {

		private final String suffix;

		private final AtomicInteger punctuations = new AtomicInteger();

		Ticker(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("ticks-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.process(() -> new Processor<String, String, Void, Void>() {

					@Override
					public void init(ProcessorContext<Void, Void> context) {
						context.schedule(Duration.ofMillis(200), PunctuationType.WALL_CLOCK_TIME, (timestamp) -> {
							if (Ticker.this.punctuations.incrementAndGet() == 1) {
								throw new IllegalStateException("the clock struck 13");
							}
						});
					}

					@Override
					public void process(Record<String, String> record) {
					}

				}, Named.as("ticking"));
		}

	}

}
