package dev.tributary.async;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka clients of one async step's worker, configured from its processor's Kafka
 * Streams properties (the same cluster, security and client overrides) through Kafka
 * Streams' own public config methods.
 *
 * @param consumer reads the step's requests topic in the step's own consumer group
 * @param producer writes results and dead letters; transactional under exactly-once
 */
record AsyncStepClients(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer) {

	/** Kafka Streams' own transaction timeout, so a crashed worker's transaction ends soon. */
	private static final int TRANSACTION_TIMEOUT_MS = 10_000;

	static AsyncStepClients create(AsyncStepDefinition<?, ?, ?> definition, Properties streamsProperties) {
		StreamsConfig config = new StreamsConfig(streamsProperties);
		String clientId = definition.groupId();
		Map<String, Object> consumerConfig = clientConfig(config.getGlobalConsumerConfigs(clientId));
		consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-consumer");
		consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, definition.groupId());
		consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		// Kafka Streams writes the requests inside its transactions under exactly-once.
		consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, definition.maxPollRecords());
		consumerConfig.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, definition.fetchMaxBytes());
		consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
				Math.min(definition.fetchMaxBytes(), 1024 * 1024));
		consumerConfig.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		// A rebalance takes only the partitions that move: the other calls carry on.
		consumerConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
				org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
		Map<String, Object> producerConfig = clientConfig(config.getProducerConfigs(clientId + "-producer"));
		producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
		producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		if (definition.exactlyOnce()) {
			producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, clientId + "-" + UUID.randomUUID());
			producerConfig.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
		}
		return new AsyncStepClients(
				new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
				new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer()));
	}

	/** Closes both clients, for a start that failed before the worker ran. */
	void close() {
		this.consumer.close(java.time.Duration.ofSeconds(5));
		this.producer.close(java.time.Duration.ofSeconds(5));
	}

	/**
	 * Leaves out Tributary's own entries (objects for its handlers and RocksDB, not client
	 * settings) and Kafka Streams' RocksDB keys.
	 */
	private static Map<String, Object> clientConfig(Map<String, Object> config) {
		Map<String, Object> copy = new HashMap<>(config);
		copy.keySet().removeIf((key) -> key.startsWith("tributary.") || key.startsWith("rocksdb."));
		copy.values().removeIf((value) -> value != null && !(value instanceof String || value instanceof Number
				|| value instanceof Boolean || value instanceof Class<?> || value instanceof java.util.List<?>));
		copy.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
		return copy;
	}

}
