package dev.tributary.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until topics just created are served. A created topic is in the metadata before
 * the broker serves its partitions, and an idempotent producer whose first send lands in
 * that gap can retry one batch for ever (out-of-order sequence). Used wherever Tributary
 * creates topics that are written at once (the dev broker, async steps).
 */
public final class CreatedTopics {

	private CreatedTopics() {
	}

	/**
	 * Waits until every partition of the topics has a leader and answers an offset
	 * request. Leaders first: asking for offsets of a topic the metadata does not know yet
	 * makes the admin client log errors.
	 * @param admin the admin client
	 * @param partitionsByTopic the topics and their partition counts
	 * @param timeout how long to wait at most
	 * @throws Exception the last failure, if the topics are not served in time
	 */
	public static void awaitServed(Admin admin, Map<String, Integer> partitionsByTopic, Duration timeout)
			throws Exception {
		if (partitionsByTopic.isEmpty()) {
			return;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!hasLeaders(admin, partitionsByTopic) && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
		Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
		partitionsByTopic.forEach((topic, count) -> {
			for (int partition = 0; partition < count; partition++) {
				partitions.put(new TopicPartition(topic, partition), OffsetSpec.latest());
			}
		});
		while (true) {
			try {
				admin.listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
				return;
			}
			catch (ExecutionException | TimeoutException ex) {
				// Not served yet, or no answer within 5 s: ask again until the deadline.
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
			}
		}
	}

	private static boolean hasLeaders(Admin admin, Map<String, Integer> topics) {
		try {
			return admin.describeTopics(topics.keySet())
				.allTopicNames()
				.get(5, TimeUnit.SECONDS)
				.values()
				.stream()
				.allMatch((topic) -> topic.partitions().stream().allMatch((partition) -> partition.leader() != null));
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return false;
		}
	}

}
