package dev.tributary.errors;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tributary.runtime.ClientSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jspecify.annotations.Nullable;

/**
 * Reads a failed record's original bytes back from its topic. Kafka Streams releases a
 * source record's key and value bytes once the record has produced its first result, so
 * an error after that (the second output of a {@code flatMap}, a later branch) comes with
 * none. The record is still in its topic at the offset the error names, and not yet
 * committed, so one read there gives the exact bytes.
 * <p>
 * One reader serves one run of a processor (a {@code KafkaStreams} instance): its
 * consumer is created at the first read and closed with the instance. Reads are rare
 * (only failures after fan-out) and synchronized, since all stream threads share it.
 */
final class SourceRecordReader implements AutoCloseable {

	/** The Kafka Streams property that carries the reader to the handlers. */
	static final String CONFIG_KEY = "tributary.errors.source-record-reader";

	private static final Log logger = LogFactory.getLog(SourceRecordReader.class);

	/**
	 * A read takes milliseconds; one that takes longer means the cluster is in trouble,
	 * and the task must not outlive an exactly-once transaction's timeout waiting.
	 */
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	/** How far ahead of its position the consumer reads on rather than seeking. */
	private static final long MAX_READ_AHEAD = 500;

	private final Map<String, Object> streamsProperties;

	private @Nullable KafkaConsumer<byte[], byte[]> consumer;

	private boolean closed;

	SourceRecordReader(Map<?, ?> streamsProperties) {
		this.streamsProperties = ClientSettings.of(streamsProperties);
	}

	/**
	 * The failed record's key, value and headers: from the error context while Kafka
	 * Streams still holds them, else read back from the source topic.
	 * @param context the failed record's context
	 * @param reader the processor's reader, if any
	 * @return the source record's bytes, or {@code null} if they were released and cannot
	 * be read back
	 */
	static @Nullable Source source(ErrorHandlerContext context, @Nullable SourceRecordReader reader) {
		// Both null with a position: released, or a record whose key and value are null,
		// which reading back gives unchanged. A punctuation has no position and no record.
		boolean released = context.sourceRawKey() == null && context.sourceRawValue() == null
				&& context.topic() != null && context.offset() >= 0;
		if (!released) {
			return new Source(context.sourceRawKey(), context.sourceRawValue(), context.headers());
		}
		ConsumerRecord<byte[], byte[]> record = (reader != null)
				? reader.read(context.topic(), context.partition(), context.offset()) : null;
		return (record != null) ? new Source(record.key(), record.value(), record.headers()) : null;
	}

	/**
	 * Says why a record whose bytes are gone fails instead of going to the dead-letter
	 * topic: a dead letter without them would lose the record once its offset is
	 * committed.
	 */
	static void cannotDeadLetter(ErrorHandlingSettings settings, ErrorKind kind, ErrorHandlerContext context,
			@Nullable SourceRecordReader reader) {
		String why = (reader != null) ? "the record could not be read back from " + context.topic()
				: "no reader of source records is installed (as on Kafka's TopologyTestDriver, which has no broker)";
		logger.error("Processor '" + settings.processor() + "': " + kind.tag() + " error on " + context.topic() + "-"
				+ context.partition() + "@" + context.offset() + " (task " + context.taskId()
				+ ") after Kafka Streams released the record's bytes, and " + why
				+ "; failing the task rather than writing a dead letter without them, so that the record is "
				+ "processed again");
	}

	/**
	 * Reads the record at an offset.
	 * @return the record, or {@code null} if it cannot be read (gone, or the cluster did
	 * not answer in time)
	 */
	synchronized @Nullable ConsumerRecord<byte[], byte[]> read(String topic, int partition, long offset) {
		if (this.closed) {
			return null;
		}
		TopicPartition topicPartition = new TopicPartition(topic, partition);
		try {
			KafkaConsumer<byte[], byte[]> consumer = consumer();
			position(consumer, topicPartition, offset);
			long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))
					.records(topicPartition)) {
					if (record.offset() >= offset) {
						return (record.offset() == offset) ? record : null;
					}
				}
			}
			logger.warn("Could not read back " + topicPartition + "@" + offset + " within " + READ_TIMEOUT);
		}
		catch (KafkaException ex) {
			logger.warn("Could not read back " + topicPartition + "@" + offset + ": " + ex);
		}
		return null;
	}

	/**
	 * Gets the consumer to the offset. Failures after fan-out tend to come in runs of
	 * nearby offsets: reading on from the last one is cheaper than a seek, and the
	 * consumer logs every assignment and seek at INFO.
	 */
	private static void position(KafkaConsumer<byte[], byte[]> consumer, TopicPartition topicPartition,
			long offset) {
		Set<TopicPartition> assignment = consumer.assignment();
		if (!assignment.contains(topicPartition)) {
			Set<TopicPartition> partitions = new HashSet<>(assignment);
			partitions.add(topicPartition);
			consumer.assign(partitions);
			consumer.seek(topicPartition, offset);
		}
		else {
			long position = consumer.position(topicPartition);
			if (position > offset || offset - position > MAX_READ_AHEAD) {
				consumer.seek(topicPartition, offset);
			}
		}
		Set<TopicPartition> others = new HashSet<>(consumer.assignment());
		others.remove(topicPartition);
		consumer.pause(others);
		consumer.resume(List.of(topicPartition));
	}

	private KafkaConsumer<byte[], byte[]> consumer() {
		if (this.consumer == null) {
			StreamsConfig config = ClientSettings.quietConfig(this.streamsProperties);
			String clientId = config.getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-dead-letter-reader";
			// The restore consumer's configuration: no group, the cluster's security
			// settings, and read_committed under exactly-once like the main consumer.
			Map<String, Object> consumerConfigs = config.getRestoreConsumerConfigs(clientId);
			// A read near the end of the log leaves a fetch waiting for new records at the
			// broker; the next read, after a seek, must not wait for it to time out.
			consumerConfigs.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
			// One record per poll, so that the position stays just past the record read.
			consumerConfigs.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
			this.consumer = new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(),
					new ByteArrayDeserializer());
		}
		return this.consumer;
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.consumer != null) {
			this.consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
			this.consumer = null;
		}
	}

	/**
	 * A source record's bytes and headers.
	 *
	 * @param key the key bytes
	 * @param value the value bytes
	 * @param headers the headers
	 */
	record Source(byte @Nullable [] key, byte @Nullable [] value, @Nullable Headers headers) {

	}

}
