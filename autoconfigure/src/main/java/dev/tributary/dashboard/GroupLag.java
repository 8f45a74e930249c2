package dev.tributary.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import dev.tributary.runtime.ClientSettings;
import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The lag of each processor's whole consumer group, every input partition of every
 * instance: the group's committed offsets and the partitions' end offsets, asked of the
 * cluster with an admin client ({@code listConsumerGroupOffsets}, or
 * {@code listStreamsGroupOffsets} under {@code group.protocol=streams}, and
 * {@code listOffsets}), so that any instance can tell it.
 *
 * <p>The cluster is asked only when someone asks here, at most once per
 * {@code minInterval} per processor (15 s after a failure), by one request at a time:
 * the others meanwhile get the last sample, so a slow cluster holds up one request
 * thread, not all of them. The last {@code historySize} samples are kept in memory for
 * the recent history. One admin client per processor (its own security
 * settings), created on the first request and closed with this object.
 */
public class GroupLag implements AutoCloseable {

	private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

	private static final long PARTITIONS_MAX_AGE_NANOS = Duration.ofSeconds(30).toNanos();

	/** The least time between two samples after one that failed. */
	private static final Duration ERROR_BACKOFF = Duration.ofSeconds(15);

	private final Duration minInterval;

	private final int historySize;

	private final LongSupplier nanoClock;

	private final Map<String, Sampler> samplers = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * Creates the lag sampler.
	 * @param minInterval the least time between two samples of one processor; requests in
	 * between get the last sample
	 * @param historySize how many samples of each processor to keep
	 */
	public GroupLag(Duration minInterval, int historySize) {
		this(minInterval, historySize, System::nanoTime);
	}

	GroupLag(Duration minInterval, int historySize, LongSupplier nanoClock) {
		if (historySize < 1) {
			throw new IllegalArgumentException("historySize must be at least 1");
		}
		this.minInterval = minInterval;
		this.historySize = historySize;
		this.nanoClock = nanoClock;
	}

	/**
	 * The lag of a processor's group now (or as of the last sample, if it is recent), with
	 * its recent history.
	 * @param processor the processor
	 * @return the report; its {@code error} says why the cluster could not tell, if it
	 * could not
	 */
	public Report lag(ManagedProcessor processor) {
		if (this.closed) {
			throw new IllegalStateException("Closed");
		}
		return this.samplers.computeIfAbsent(processor.name(), (name) -> new Sampler()).report(processor);
	}

	@Override
	public void close() {
		this.closed = true;
		this.samplers.values().forEach(Sampler::close);
		this.samplers.clear();
	}

	/**
	 * One processor's sampling: its admin client, the partitions of its topics, its samples.
	 */
	private final class Sampler {

		private @Nullable Admin admin;

		private volatile boolean closed;

		private volatile @Nullable Report last;

		// When the cluster may be asked again: later after a failure, so that requests
		// during an outage do not each wait for the cluster.
		private volatile long nextSampleNanos;

		// One request asks the cluster at a time; the others answer with the last sample.
		private final ReentrantLock sampling = new ReentrantLock();

		private final Deque<Sample> history = new ArrayDeque<>();

		private final Map<String, List<Integer>> partitions = new HashMap<>();

		private long partitionsNanos;

		Report report(ManagedProcessor processor) {
			long now = GroupLag.this.nanoClock.getAsLong();
			Report previous = this.last;
			if (previous != null && now - this.nextSampleNanos < 0) {
				return previous;
			}
			if (previous != null) {
				if (!this.sampling.tryLock()) {
					return previous;
				}
			}
			else {
				// The first sample: every request waits for it.
				this.sampling.lock();
			}
			try {
				Report current = this.last;
				if (current != previous && current != null) {
					return current; // another request sampled meanwhile
				}
				Report report = sampleNow(processor, now);
				Duration wait = (report.error() != null && ERROR_BACKOFF.compareTo(GroupLag.this.minInterval) > 0)
						? ERROR_BACKOFF : GroupLag.this.minInterval;
				this.nextSampleNanos = now + wait.toNanos();
				this.last = report;
				return report;
			}
			finally {
				this.sampling.unlock();
			}
		}

		private Report sampleNow(ManagedProcessor processor, long now) {
			try {
				List<PartitionLag> lags = sample(processor, now);
				long total = lags.stream().mapToLong((lag) -> (lag.lag() != null) ? lag.lag() : 0).sum();
				Map<String, Long> byPartition = new LinkedHashMap<>();
				lags.forEach((lag) -> byPartition.put(lag.topic() + "-" + lag.partition(), lag.lag()));
				this.history.addLast(new Sample(Instant.now(), total, byPartition));
				while (this.history.size() > GroupLag.this.historySize) {
					this.history.removeFirst();
				}
				return new Report(processor.applicationId(), Instant.now(), lags, total, List.copyOf(this.history),
						null);
			}
			catch (LagException ex) {
				return new Report(processor.applicationId(), Instant.now(), List.of(), 0, List.copyOf(this.history),
						ex.getMessage());
			}
			catch (RuntimeException ex) {
				// Such as an admin client that cannot be created from the settings: reported
				// and backed off from like any failure, not retried by every request.
				return new Report(processor.applicationId(), Instant.now(), List.of(), 0, List.copyOf(this.history),
						"Cannot read the group's offsets: " + ex);
			}
		}

		private List<PartitionLag> sample(ManagedProcessor processor, long now) {
			Set<String> topics = processor.sourceTopics();
			if (processor.topology().isEmpty()) {
				throw new LagException("Processor '" + processor.name() + "' has not been started");
			}
			Properties properties = processor.streamsProperties();
			Admin client = admin(processor, properties);
			Map<String, List<Integer>> partitionsByTopic = partitions(client, topics, now);
			List<TopicPartition> all = new ArrayList<>();
			partitionsByTopic.forEach((topic, ids) -> ids.forEach((id) -> all.add(new TopicPartition(topic, id))));
			Map<TopicPartition, OffsetAndMetadata> committed = committed(client, processor, properties);
			IsolationLevel isolation = exactlyOnce(properties) ? IsolationLevel.READ_COMMITTED
					: IsolationLevel.READ_UNCOMMITTED;
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
			for (TopicPartition partition : all) {
				latest.put(partition, OffsetSpec.latest());
				if (committed.get(partition) == null) {
					earliest.put(partition, OffsetSpec.earliest());
				}
			}
			Map<TopicPartition, ListOffsetsResultInfo> ends = get(
					client.listOffsets(latest, new ListOffsetsOptions(isolation)).all(), "the end offsets of " + topics);
			Map<TopicPartition, ListOffsetsResultInfo> starts = earliest.isEmpty() ? Map.of()
					: get(client.listOffsets(earliest, new ListOffsetsOptions(isolation)).all(),
							"the start offsets of " + topics);
			Map<TopicPartition, String> owners = owners(processor);
			List<PartitionLag> lags = new ArrayList<>();
			for (TopicPartition partition : all) {
				OffsetAndMetadata commit = committed.get(partition);
				Long committedOffset = (commit != null) ? commit.offset() : null;
				ListOffsetsResultInfo end = ends.get(partition);
				Long endOffset = (end != null) ? end.offset() : null;
				if (endOffset != null && committedOffset != null && committedOffset > endOffset) {
					// Under exactly-once the last commit marker takes an offset past the last
					// stable offset: a group that has read everything commits one beyond it.
					endOffset = committedOffset;
				}
				Long from = committedOffset;
				if (from == null && starts.get(partition) != null) {
					// Never committed: the group starts from the beginning (Kafka Streams'
					// auto.offset.reset is earliest).
					from = starts.get(partition).offset();
				}
				Long lag = (from != null && endOffset != null) ? Math.max(0, endOffset - from) : null;
				lags.add(new PartitionLag(partition.topic(), partition.partition(), committedOffset, endOffset, lag,
						owners.get(partition)));
			}
			return lags;
		}

		private Admin admin(ManagedProcessor processor, Properties properties) {
			Admin current = this.admin;
			if (current == null) {
				Map<String, Object> config = ClientSettings.quietConfig(ClientSettings.of(properties))
					.getAdminConfigs(processor.applicationId() + "-tributary-lag");
				config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ASK_TIMEOUT.toMillis());
				config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ASK_TIMEOUT.toMillis());
				current = Admin.create(config);
				synchronized (this) {
					this.admin = current;
				}
				if (this.closed || GroupLag.this.closed) {
					// Closed while the client was created: close() may not have seen it
					// (or this sampler was added after GroupLag's close went through them).
					close();
					throw new LagException("Closed");
				}
			}
			return current;
		}

		/**
		 * The partitions of each topic that exists; one not created yet (a repartition
		 * topic before the first start completes) is left out rather than failing all.
		 */
		private Map<String, List<Integer>> partitions(Admin client, Set<String> topics, long now) {
			if (!this.partitions.keySet().equals(topics) || now - this.partitionsNanos > PARTITIONS_MAX_AGE_NANOS) {
				Map<String, List<Integer>> found = new TreeMap<>();
				client.describeTopics(topics).topicNameValues().forEach((topic, future) -> {
					try {
						TopicDescription description = get(future, "the partitions of topic '" + topic + "'");
						found.put(topic, description.partitions().stream().map(TopicPartitionInfo::partition).sorted()
							.toList());
					}
					catch (LagException ex) {
						if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
							throw ex;
						}
					}
				});
				this.partitions.clear();
				this.partitions.putAll(found);
				this.partitionsNanos = (found.keySet().equals(topics)) ? now : 0;
			}
			return new TreeMap<>(this.partitions);
		}

		private static Map<TopicPartition, OffsetAndMetadata> committed(Admin client, ManagedProcessor processor,
				Properties properties) {
			String group = processor.applicationId();
			Map<TopicPartition, OffsetAndMetadata> offsets;
			if ("streams".equalsIgnoreCase(String.valueOf(properties.get(StreamsConfig.GROUP_PROTOCOL_CONFIG)))) {
				offsets = get(client.listStreamsGroupOffsets(Map.of(group, new ListStreamsGroupOffsetsSpec()))
					.partitionsToOffsetAndMetadata(group), "the committed offsets of group '" + group + "'");
			}
			else {
				offsets = get(client.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
						"the committed offsets of group '" + group + "'");
			}
			// A partition the group has no offset for comes back with a null value.
			Map<TopicPartition, OffsetAndMetadata> known = new HashMap<>();
			offsets.forEach((partition, offset) -> {
				if (offset != null) {
					known.put(partition, offset);
				}
			});
			return known;
		}

		private static boolean exactlyOnce(Properties properties) {
			Object guarantee = properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
			return guarantee != null && !StreamsConfig.AT_LEAST_ONCE.equals(guarantee.toString());
		}

		/**
		 * Which instance processes each partition, from Kafka Streams' metadata (empty
		 * where no instance advertises an {@code application.server}).
		 */
		private static Map<TopicPartition, String> owners(ManagedProcessor processor) {
			Map<TopicPartition, String> owners = new HashMap<>();
			KafkaStreams streams = processor.kafkaStreams().orElse(null);
			if (streams == null) {
				return owners;
			}
			try {
				for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
					String host = instance.host() + ":" + instance.port();
					instance.topicPartitions().forEach((partition) -> owners.put(partition, host));
				}
			}
			catch (RuntimeException ex) {
				// Not running (yet): no owners to show.
			}
			return owners;
		}

		void close() {
			this.closed = true;
			Admin current;
			synchronized (this) {
				current = this.admin;
				this.admin = null;
			}
			if (current != null) {
				current.close(Duration.ZERO);
			}
		}

	}

	private static <T> T get(KafkaFuture<T> future, String what) {
		try {
			return future.get(ASK_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LagException("Interrupted while asking the cluster for " + what);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new LagException("The cluster did not tell " + what + ": " + cause, cause);
		}
		catch (TimeoutException ex) {
			throw new LagException("The cluster did not tell " + what + " within " + ASK_TIMEOUT.toSeconds() + " s");
		}
	}

	/**
	 * The lag of a processor's group.
	 *
	 * @param group the consumer group (the application id)
	 * @param sampledAt when the cluster was asked
	 * @param partitions every input partition, sorted by topic and partition; empty when
	 * the cluster could not be asked
	 * @param totalLag the sum of the partitions' lags
	 * @param history the recent samples, oldest first, this one last
	 * @param error why the cluster could not tell, or {@code null}
	 */
	public record Report(String group, Instant sampledAt, List<PartitionLag> partitions, long totalLag,
			List<Sample> history, @Nullable String error) {

	}

	/**
	 * One input partition's lag.
	 *
	 * @param topic the topic, by the name records carry (repartition topics with the
	 * application id)
	 * @param partition the partition
	 * @param committedOffset the group's committed offset, {@code null} if it has none yet
	 * @param endOffset the partition's end offset (the last stable offset under
	 * exactly-once), {@code null} if unknown
	 * @param lag the records between them (from the partition's start where nothing is
	 * committed yet), {@code null} if unknown
	 * @param owner the instance that processes the partition ({@code host:port}), or
	 * {@code null} if not known
	 */
	public record PartitionLag(String topic, int partition, @Nullable Long committedOffset, @Nullable Long endOffset,
			@Nullable Long lag, @Nullable String owner) {

	}

	/**
	 * One sample of the history.
	 *
	 * @param at when it was taken
	 * @param totalLag the group's total lag
	 * @param partitions each partition's lag by {@code topic-partition}
	 */
	public record Sample(Instant at, long totalLag, Map<String, @Nullable Long> partitions) {

	}

	private static final class LagException extends RuntimeException {

		LagException(String message) {
			super(message);
		}

		LagException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
