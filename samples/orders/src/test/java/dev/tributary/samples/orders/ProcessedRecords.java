package dev.tributary.samples.orders;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import static org.awaitility.Awaitility.await;

/**
 * Waits until a Kafka Streams application has processed and committed every record of
 * its source topics and of its repartition topics: then each record sent before has gone
 * all the way through, and its results are in the stores.
 */
final class ProcessedRecords implements AutoCloseable {

	private final Admin admin;

	private final String applicationId;

	private final List<String> sourceTopics;

	ProcessedRecords(String bootstrapServers, String applicationId, List<String> sourceTopics) {
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
		this.applicationId = applicationId;
		this.sourceTopics = sourceTopics;
	}

	/** Waits until nothing is left to process, for a minute at most. */
	void awaitAll() {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(this::nothingLeft);
	}

	private boolean nothingLeft() throws Exception {
		// Committed offsets first, then end offsets: a source record committed by then had
		// its results written to the repartition topics before, so their end offsets count
		// them, and a repartition topic's end offset is reached only once they are processed.
		Map<TopicPartition, OffsetAndMetadata> committed = this.admin
			.listConsumerGroupOffsets(this.applicationId)
			.partitionsToOffsetAndMetadata()
			.get(10, TimeUnit.SECONDS);
		Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
		for (TopicDescription topic : this.admin.describeTopics(topics()).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
			topic.partitions().forEach((partition) -> partitions.put(new TopicPartition(topic.name(), partition.partition()),
					OffsetSpec.latest()));
		}
		Map<TopicPartition, ListOffsetsResultInfo> ends = this.admin.listOffsets(partitions)
			.all()
			.get(10, TimeUnit.SECONDS);
		return ends.entrySet().stream().allMatch((end) -> {
			OffsetAndMetadata offset = committed.get(end.getKey());
			return end.getValue().offset() == ((offset != null) ? offset.offset() : 0);
		});
	}

	private Set<String> topics() throws Exception {
		Set<String> topics = this.admin.listTopics()
			.names()
			.get(10, TimeUnit.SECONDS)
			.stream()
			.filter((topic) -> topic.startsWith(this.applicationId + "-") && topic.endsWith("-repartition"))
			.collect(Collectors.toSet());
		topics.addAll(this.sourceTopics);
		return topics;
	}

	@Override
	public void close() {
		this.admin.close(Duration.ofSeconds(5));
	}

}
