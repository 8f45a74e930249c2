package dev.tributary.benchmarks;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.tributary.devbroker.DevBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The in-process broker every measurement runs against (Tributary's dev broker), with the
 * admin calls the harness needs.
 */
public final class BenchmarkBroker implements AutoCloseable {

	private final DevBroker broker;

	private final Admin admin;

	private final int partitions;

	private BenchmarkBroker(DevBroker broker, int partitions) {
		this.broker = broker;
		this.partitions = partitions;
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
	}

	/**
	 * Starts a broker on a free port.
	 * @param partitions the partition count of every topic the harness creates
	 * @return the running broker
	 */
	public static BenchmarkBroker start(int partitions) {
		return new BenchmarkBroker(DevBroker.start(0, null, partitions), partitions);
	}

	public String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	public int partitions() {
		return this.partitions;
	}

	/**
	 * Creates topics and waits until the broker serves all their partitions.
	 * @param topics the topic names
	 */
	public void createTopics(String... topics) {
		this.broker.createTopics(List.of(topics));
	}

	/**
	 * Deletes every topic whose name starts with one of the prefixes.
	 * @param prefixes topic name prefixes
	 */
	public void deleteTopicsStartingWith(String... prefixes) {
		try {
			Set<String> doomed = this.admin.listTopics()
				.names()
				.get(30, TimeUnit.SECONDS)
				.stream()
				.filter((topic) -> List.of(prefixes).stream().anyMatch(topic::startsWith))
				.collect(Collectors.toSet());
			if (!doomed.isEmpty()) {
				this.admin.deleteTopics(doomed).all().get(30, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot delete topics starting with " + List.of(prefixes), ex);
		}
	}

	/**
	 * Topics whose name starts with the prefix and ends with the suffix.
	 * @param prefix the name prefix
	 * @param suffix the name suffix
	 * @return the topic names
	 */
	public Set<String> topics(String prefix, String suffix) {
		try {
			return this.admin.listTopics()
				.names()
				.get(30, TimeUnit.SECONDS)
				.stream()
				.filter((topic) -> topic.startsWith(prefix) && topic.endsWith(suffix))
				.collect(Collectors.toSet());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot list topics", ex);
		}
	}

	/**
	 * The end offset of every partition of the topics.
	 * @param topics the topic names
	 * @return the end offset by partition
	 */
	public Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		for (String topic : topics) {
			for (int partition = 0; partition < this.partitions; partition++) {
				request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
			}
		}
		try {
			Map<TopicPartition, ListOffsetsResultInfo> result = this.admin.listOffsets(request)
				.all()
				.get(30, TimeUnit.SECONDS);
			Map<TopicPartition, Long> offsets = new HashMap<>();
			result.forEach((partition, info) -> offsets.put(partition, info.offset()));
			return offsets;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot read the end offsets of " + topics, ex);
		}
	}

	/**
	 * The offsets a consumer group has committed.
	 * @param groupId the group (a Kafka Streams application id)
	 * @return the committed offset by partition; partitions without a commit are absent
	 */
	public Map<TopicPartition, Long> committedOffsets(String groupId) {
		try {
			Map<TopicPartition, OffsetAndMetadata> committed = this.admin.listConsumerGroupOffsets(groupId)
				.partitionsToOffsetAndMetadata()
				.get(30, TimeUnit.SECONDS);
			Map<TopicPartition, Long> offsets = new HashMap<>();
			committed.forEach((partition, offset) -> {
				if (offset != null) {
					offsets.put(partition, offset.offset());
				}
			});
			return offsets;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot read the committed offsets of group " + groupId, ex);
		}
	}

	@Override
	public void close() {
		this.admin.close();
		this.broker.close();
	}

}
