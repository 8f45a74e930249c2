package dev.tributary.query;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tributary.runtime.ClientSettings;
import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * How many partitions a topic has, asked of the cluster and kept for a while. Kafka
 * Streams' metadata cannot be asked: it counts only the partitions held by members that
 * advertise an {@code application.server}, so it undercounts exactly when a scan must
 * notice that some partitions cannot be read.
 */
final class PartitionCounts implements AutoCloseable {

	private static final long MAX_AGE_NANOS = Duration.ofSeconds(30).toNanos();

	private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

	// One admin client per processor (its security settings), created on the first scan.
	private final Map<String, Admin> admins = new ConcurrentHashMap<>();

	private final Map<String, Count> counts = new ConcurrentHashMap<>();

	/**
	 * The partition count of one of a processor's topics.
	 * @throws QueryException unavailable when the cluster cannot say in time
	 */
	int count(ManagedProcessor processor, String topic) {
		Count known = this.counts.get(topic);
		if (known != null && System.nanoTime() - known.askedAt < MAX_AGE_NANOS) {
			return known.partitions;
		}
		Admin admin = this.admins.computeIfAbsent(processor.name(),
				(name) -> ClientSettings.admin(processor.streamsProperties(),
						processor.applicationId() + "-tributary-queries"));
		try {
			TopicDescription description = admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.get(topic);
			int partitions = description.partitions().size();
			this.counts.put(topic, new Count(partitions, System.nanoTime()));
			return partitions;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw QueryException.unavailable("Interrupted while asking the partitions of topic '" + topic + "'");
		}
		catch (ExecutionException | TimeoutException ex) {
			throw QueryException.unavailable("The cluster did not tell the partitions of topic '" + topic
					+ "' in time: " + ((ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage()));
		}
	}

	/**
	 * The partition count of a store's source topics as the topology names them: an
	 * internal topic (repartition, say) is named without the application id there, so
	 * both names are asked and the largest count that exists wins.
	 * @throws QueryException unavailable when none of them can be described in time
	 */
	int countOfTopologyTopics(ManagedProcessor processor, Set<String> topologyTopics) {
		int count = 0;
		QueryException failure = null;
		for (String topic : topologyTopics) {
			for (String name : List.of(processor.applicationId() + "-" + topic, topic)) {
				try {
					count = Math.max(count, count(processor, name));
				}
				catch (QueryException ex) {
					failure = ex;
				}
			}
		}
		if (count == 0) {
			throw (failure != null) ? failure : QueryException.unavailable("The source topics of the store are not known");
		}
		return count;
	}

	@Override
	public void close() {
		this.admins.values().forEach((admin) -> admin.close(Duration.ofSeconds(1)));
		this.admins.clear();
	}

	private record Count(int partitions, long askedAt) {

	}

}
