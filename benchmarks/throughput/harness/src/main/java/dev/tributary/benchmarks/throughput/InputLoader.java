package dev.tributary.benchmarks.throughput;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.tributary.benchmarks.BenchmarkBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a workload's input before any measurement, so every run consumes the same
 * records from the beginning.
 */
public final class InputLoader {

	private final BenchmarkBroker broker;

	public InputLoader(BenchmarkBroker broker) {
		this.broker = broker;
	}

	/**
	 * Creates the topic and writes the workload's first {@code count} records to it.
	 * @param workload the workload
	 * @param topic the input topic
	 * @param count how many records
	 * @return the input: topic, count and end offsets
	 */
	public Input load(Workload workload, String topic, int count) {
		this.broker.createTopics(topic);
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers(),
				ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
				ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
		SplittableRandom random = new SplittableRandom(workload.ordinal());
		// Event time advances one millisecond per record and ends now: recent enough that
		// the broker's retention keeps the input, and windows span many minutes.
		long firstTimestamp = System.currentTimeMillis() - count;
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
				new ByteArraySerializer())) {
			for (long index = 0; index < count; index++) {
				producer.send(workload.record(topic, index, firstTimestamp + index, random));
			}
			producer.flush();
		}
		Map<TopicPartition, Long> endOffsets = this.broker.endOffsets(List.of(topic));
		long written = endOffsets.values().stream().mapToLong(Long::longValue).sum();
		if (written != count) {
			throw new IllegalStateException("Wrote " + count + " records to " + topic + " but it holds " + written);
		}
		return new Input(topic, count, endOffsets);
	}

	/**
	 * A pre-loaded input topic.
	 * @param topic the topic
	 * @param records how many records it holds
	 * @param endOffsets its end offset by partition
	 */
	public record Input(String topic, int records, Map<TopicPartition, Long> endOffsets) {

	}

}
