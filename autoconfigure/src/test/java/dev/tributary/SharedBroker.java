package dev.tributary;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tributary.devbroker.DevBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One in-process broker for all tests of this module, with small produce and consume
 * helpers.
 */
public final class SharedBroker {

	private static DevBroker broker;

	private SharedBroker() {
	}

	public static synchronized String bootstrapServers() {
		if (broker == null) {
			broker = DevBroker.start(0, null, 2);
			Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
		}
		return broker.bootstrapServers();
	}

	public static DevBroker broker() {
		bootstrapServers();
		return broker;
	}

	public static void createTopics(String... topics) {
		broker().createTopics(List.of(topics));
	}

	public static void send(String topic, List<String> values) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
			for (String value : values) {
				producer.send(new ProducerRecord<>(topic, value, value));
			}
			producer.flush();
		}
	}

	/**
	 * Reads a topic from the beginning until no record arrives for a while or the
	 * expected count is reached, whichever is later bounded by the timeout.
	 */
	public static <V> List<ConsumerRecord<String, V>> read(String topic, Deserializer<V> valueDeserializer,
			int expected, Duration timeout) {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		List<ConsumerRecord<String, V>> records = new ArrayList<>();
		try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				valueDeserializer)) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (records.size() < expected && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
		}
		return records;
	}

	/**
	 * The latest value per key of a topic, read until every expected key has its
	 * expected value or the timeout passes.
	 */
	public static <V> Map<String, V> latestValues(String topic, Deserializer<V> valueDeserializer,
			Map<String, V> expected, Duration timeout) {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		Map<String, V> latest = new LinkedHashMap<>();
		try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				valueDeserializer)) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!latest.entrySet().containsAll(expected.entrySet()) && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> latest.put(record.key(), record.value()));
			}
		}
		return latest;
	}

	/**
	 * Starts an application without a web server against this broker, with the settings
	 * the integration tests share: {@code test.suffix}, a state directory of the test's own,
	 * 100 ms commits, a 6 s session timeout and a 10 s close timeout.
	 * @param application the application class
	 * @param name the application's name ({@code spring.application.name})
	 * @param suffix the test's unique suffix, as {@code test.suffix}
	 * @param stateDir the Kafka Streams state directory
	 * @param properties more properties, {@code key=value}
	 * @return the running context
	 */
	public static ConfigurableApplicationContext startApplication(Class<?> application, String name, String suffix,
			Path stateDir, String... properties) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.properties("spring.application.name=" + name, "spring.kafka.bootstrap-servers=" + bootstrapServers(),
					"test.suffix=" + suffix, "tributary.streams.state.dir=" + stateDir,
					"tributary.streams.commit.interval.ms=100", "tributary.streams.session.timeout.ms=6000",
					"tributary.close-timeout=10s")
			.properties(properties)
			.run();
	}

	/**
	 * The value of a record's last header with that name, as UTF-8 text.
	 * @param record the record
	 * @param name the header name
	 * @return the header's value
	 */
	public static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	public static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
