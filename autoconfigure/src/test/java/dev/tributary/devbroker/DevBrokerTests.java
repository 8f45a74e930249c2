package dev.tributary.devbroker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tributary.runtime.ProcessorConfigurationException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class DevBrokerTests {

	@TempDir
	Path dataDir;

	@Test
	void startsOnAFreePortAndCreatesTopicsWithTheConfiguredPartitions() throws Exception {
		try (DevBroker broker = DevBroker.start(0, null, 3)) {
			assertThat(broker.isEmbedded()).isTrue();
			assertThat(broker.bootstrapServers()).startsWith("localhost:");
			broker.createTopics(List.of("created"));
			broker.createTopics(List.of("created"));
			assertThat(partitions(broker, "created")).isEqualTo(3);
			send(broker, "auto-created", "hello");
			assertThat(partitions(broker, "auto-created")).isEqualTo(3);
			assertThat(readOne(broker, "auto-created")).isEqualTo("hello");
		}
	}

	@Test
	void usesTheBrokerAlreadyListeningOnThePort() throws Exception {
		try (DevBroker first = DevBroker.start(0, null, 1)) {
			int port = Integer.parseInt(first.bootstrapServers().substring("localhost:".length()));
			try (DevBroker second = DevBroker.start(port, null, 1)) {
				assertThat(second.isEmbedded()).isFalse();
				assertThat(second.bootstrapServers()).isEqualTo(first.bootstrapServers());
			}
			// Closing the second one left the first one running.
			send(first, "still-there", "yes");
			assertThat(readOne(first, "still-there")).isEqualTo("yes");
		}
	}

	@Test
	void keepsItsDataAcrossRestartsInTheDataDirectory() throws Exception {
		try (DevBroker broker = DevBroker.start(0, this.dataDir, 1)) {
			send(broker, "kept", "across restarts");
		}
		try (DevBroker broker = DevBroker.start(0, this.dataDir, 1)) {
			assertThat(readOne(broker, "kept")).isEqualTo("across restarts");
		}
	}

	@Test
	void aPreparedBrokerHasItsAddressButListensOnlyOnceStarted() throws Exception {
		try (DevBroker broker = DevBroker.prepare(0, this.dataDir, 1)) {
			int port = Integer.parseInt(broker.bootstrapServers().substring("localhost:".length()));
			assertThat(broker.isStarted()).isFalse();
			assertThat(DevBroker.isListening(port)).isFalse();
			broker.start();
			assertThat(broker.isStarted()).isTrue();
			assertThat(DevBroker.isListening(port)).isTrue();
			broker.start();
			send(broker, "started-once", "yes");
		}
	}

	@Test
	void saysWhetherItStartedWithNewDataOrAnEarlierRunsData() {
		try (DevBroker broker = DevBroker.start(0, this.dataDir, 1)) {
			assertThat(broker.startedWithNewData()).isTrue();
		}
		try (DevBroker broker = DevBroker.start(0, this.dataDir, 1)) {
			assertThat(broker.startedWithNewData()).isFalse();
		}
		try (DevBroker temporary = DevBroker.start(0, null, 1)) {
			assertThat(temporary.startedWithNewData()).isTrue();
		}
	}

	@Test
	void doesNotShareADataDirectoryARunningBrokerHolds(CapturedOutput output) throws Exception {
		try (DevBroker first = DevBroker.start(0, this.dataDir, 1)) {
			try (DevBroker second = DevBroker.start(0, this.dataDir, 1)) {
				assertThat(second.dataDir()).isNotEqualTo(this.dataDir);
				send(second, "second", "runs");
			}
			assertThat(output).contains("The dev broker's data directory " + this.dataDir.toAbsolutePath()
					+ " is in use by another running broker; using a temporary one");
			send(first, "first", "still runs");
		}
	}

	@Test
	void rejectsAnInvalidPortOrPartitionCountNamingTheKey() {
		assertThatExceptionOfType(ProcessorConfigurationException.class).isThrownBy(() -> DevBroker.start(70000, null, 1))
			.withMessageContaining("tributary.dev-broker.port")
			.withMessageContaining("70000");
		assertThatExceptionOfType(ProcessorConfigurationException.class).isThrownBy(() -> DevBroker.start(0, null, 0))
			.withMessageContaining("tributary.dev-broker.partitions");
	}

	private static int partitions(DevBroker broker, String topic) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			return admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.get(topic)
				.partitions()
				.size();
		}
	}

	private static void send(DevBroker broker, String topic, String value) throws Exception {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
				new StringSerializer())) {
			producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
		}
	}

	private static String readOne(DevBroker broker, String topic) {
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					return record.value();
				}
			}
			return null;
		}
	}

}
