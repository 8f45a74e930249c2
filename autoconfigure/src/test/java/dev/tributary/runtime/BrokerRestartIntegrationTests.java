package dev.tributary.runtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

import dev.tributary.devbroker.DevBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker a processor reads from and writes to stops and starts again (same port, same
 * data) in the middle of a stream: the processor recovers on its own and nothing is lost.
 * Runs {@link CrashTestApplication}'s processor in this JVM against its own broker.
 */
@Tag("slow")
class BrokerRestartIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int RECORDS = 20_000;

	private static final int KEYS = 4;

	@TempDir
	Path brokerDir;

	@TempDir
	Path stateDir;

	private DevBroker broker;

	@AfterEach
	void stopBroker() {
		if (this.broker != null) {
			this.broker.close();
		}
	}

	@Test
	void processorRecoversOnItsOwnFromABrokerRestartAndLosesNothing() throws IOException {
		int port = freePort();
		this.broker = DevBroker.start(port, this.brokerDir, 2);
		String bootstrapServers = this.broker.bootstrapServers();
		this.broker.createTopics(List.of("input", "echo", "counts"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CrashTestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=restart", "spring.kafka.bootstrap-servers=" + bootstrapServers,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=200",
					"tributary.streams.statestore.cache.max.bytes=0", "tributary.streams.session.timeout.ms=6000",
					// reconnect quickly once the broker is back
					"tributary.streams.reconnect.backoff.max.ms=500", "tributary.streams.retry.backoff.max.ms=500",
					"tributary.close-timeout=10s", "crash.input-topic=input", "crash.echo-topic=echo",
					"crash.output-topic=counts")
			.run()) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("counter").state() == State.RUNNING);

			produce(bootstrapServers, 0, RECORDS / 2);
			Output beforeRestart = read(bootstrapServers, (output) -> output.echoes.size() >= RECORDS / 10);
			this.broker.close();
			this.broker = DevBroker.start(port, this.brokerDir, 2);
			produce(bootstrapServers, RECORDS / 2, RECORDS);
			Output output = read(bootstrapServers,
					(read) -> read.echoes.size() >= RECORDS && read.countsReached(expectedCounts()));

			assertThat(beforeRestart.echoes.size()).as("records processed before the broker stopped")
				.isLessThan(RECORDS / 2);
			assertThat(output.echoes).as("distinct echoed input values").isEqualTo(inputValues());
			expectedCounts().forEach((key, count) -> assertThat(output.latestCount(key))
				.as("final count of key %s (duplicates allowed, no loss)", key)
				.isGreaterThanOrEqualTo(count));
			assertThat(registry.get("counter").state()).isEqualTo(State.RUNNING);
		}
	}

	private static void produce(String bootstrapServers, int from, int to) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.LINGER_MS_CONFIG, 20);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
				new StringSerializer())) {
			for (int i = from; i < to; i++) {
				producer.send(new ProducerRecord<>("input", key(i), value(i)));
			}
			producer.flush();
		}
	}

	/**
	 * Reads the echo and count topics from the beginning until {@code done}, or fails
	 * with what was read after the timeout.
	 */
	private static Output read(String bootstrapServers, Predicate<Output> done) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		Output output = new Output();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of("echo", "counts"));
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (!done.test(output)) {
				assertThat(System.nanoTime()).as("time left to read the output; read %s distinct echoes, counts %s",
						output.echoes.size(), output.latestCounts).isLessThan(deadline);
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.topic().equals("echo")) {
						output.echoes.add(new String(record.value()));
					}
					else {
						output.latestCounts.merge(record.key(), new LongDeserializer().deserialize(null, record.value()),
								Math::max);
					}
				}
			}
		}
		return output;
	}

	private static Map<String, Long> expectedCounts() {
		Map<String, Long> expected = new TreeMap<>();
		for (int i = 0; i < RECORDS; i++) {
			expected.merge(key(i), 1L, Long::sum);
		}
		return expected;
	}

	private static Set<String> inputValues() {
		Set<String> values = new TreeSet<>();
		for (int i = 0; i < RECORDS; i++) {
			values.add(value(i));
		}
		return values;
	}

	private static String key(int i) {
		return "key-" + (i % KEYS);
	}

	private static String value(int i) {
		return String.format("%06d", i);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * What was read: the distinct echoed values and the highest count per key.
	 */
	private static final class Output {

		final Set<String> echoes = new TreeSet<>();

		final Map<String, Long> latestCounts = new TreeMap<>();

		boolean countsReached(Map<String, Long> expected) {
			return expected.entrySet().stream().allMatch((entry) -> latestCount(entry.getKey()) >= entry.getValue());
		}

		long latestCount(String key) {
			return this.latestCounts.getOrDefault(key, 0L);
		}

	}

}
