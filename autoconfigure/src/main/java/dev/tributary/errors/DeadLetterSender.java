package dev.tributary.errors;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.tributary.runtime.ClientSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;

/**
 * Writes the dead letters of results the broker refused, under at-least-once, with a
 * producer of its own, and waits until the broker has them.
 *
 * <p>Kafka Streams reports a refused result from its producer's send callback, on the
 * producer's network thread, and sends the dead letters the handler returns from there
 * too. A producer that has not written to the dead-letter topic yet then waits
 * {@code max.block.ms} for metadata that only that blocked thread could fetch, and the
 * dead letter fails. This producer has a network thread of its own; the handler waits for
 * its acknowledgement, so the source record's offset is never committed before its dead
 * letter is written.
 */
final class DeadLetterSender implements AutoCloseable {

	static final String CONFIG_KEY = "tributary.errors.dead-letter-sender";

	/** Longer than a metadata fetch and a write, shorter than a stuck cluster. */
	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

	private final Map<String, Object> streamsProperties;

	private @Nullable KafkaProducer<byte[], byte[]> producer;

	private boolean closed;

	DeadLetterSender(Map<?, ?> streamsProperties) {
		this.streamsProperties = ClientSettings.of(streamsProperties);
	}

	/**
	 * Writes a dead letter and waits until the broker has it.
	 * @param deadLetter the dead letter
	 * @throws Exception if it could not be written in time
	 */
	synchronized void send(ProducerRecord<byte[], byte[]> deadLetter) throws Exception {
		if (this.closed) {
			throw new IllegalStateException("the processor is stopping");
		}
		try {
			producer().send(deadLetter).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

	private KafkaProducer<byte[], byte[]> producer() {
		if (this.producer == null) {
			StreamsConfig config = ClientSettings.quietConfig(this.streamsProperties);
			Map<String, Object> producerConfig = config
				.getProducerConfigs(config.getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-dead-letters");
			producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
			producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
			producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
			producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
			producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
			producerConfig.values().removeIf((value) -> value != null && !(value instanceof String
					|| value instanceof Number || value instanceof Boolean || value instanceof Class<?>
					|| value instanceof java.util.List<?>));
			this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
		}
		return this.producer;
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.producer != null) {
			this.producer.close(Duration.ofSeconds(5));
			this.producer = null;
		}
	}

}
