package dev.tributary.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Follows the restoration of a processor's state stores, so health and the
 * {@code streams} endpoint can report it without calling Kafka, and logs progress per
 * store at most every {@link #LOG_INTERVAL}. Passes every callback on to the
 * application's own {@link StateRestoreListener} beans.
 *
 * <p>Rates count only the time during which some partition of the store was restoring:
 * partitions restored minutes apart (one at start-up, one after a rebalance) do not
 * spread their records over the time in between. A store's restoration that restores
 * nothing (Kafka Streams announces it all the same) logs nothing.
 */
final class RestorationTracker implements StateRestoreListener {

	static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(RestorationTracker.class);

	private final String processorName;

	private final List<StateRestoreListener> delegates;

	private final Map<String, Map<TopicPartition, PartitionProgress>> stores = new ConcurrentHashMap<>();

	private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

	// Per store, since when and from how many records on it has been restoring again.
	private final Map<String, Episode> episodes = new ConcurrentHashMap<>();

	private final LongSupplier clock;

	// Global stores whose load a close abandons (see abandon).
	private volatile Set<String> abandoned = Set.of();

	RestorationTracker(String processorName, List<StateRestoreListener> delegates) {
		this(processorName, delegates, System::nanoTime);
	}

	RestorationTracker(String processorName, List<StateRestoreListener> delegates, LongSupplier clock) {
		this.processorName = processorName;
		this.delegates = List.copyOf(delegates);
		this.clock = clock;
	}

	@Override
	public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
		long now = this.clock.getAsLong();
		if (!isRestoring(storeName)) {
			this.episodes.put(storeName, new Episode(now, restoration(storeName).restoredRecords()));
		}
		this.stores.computeIfAbsent(storeName, (name) -> new ConcurrentHashMap<>())
			// No fewer than none: a checkpoint past the changelog's end (state kept from
			// another cluster) would count negative.
			.put(partition, new PartitionProgress(Math.max(0, endingOffset - startingOffset), now));
		if (endingOffset > startingOffset && this.lastLogged.putIfAbsent(storeName, now) == null) {
			StoreRestoration restoration = restoration(storeName);
			logger.info("Processor '" + this.processorName + "': restoring store '" + storeName + "' ("
					+ restoration.totalRecords() + " records so far to restore)");
		}
		this.delegates.forEach((delegate) -> delegate.onRestoreStart(partition, storeName, startingOffset,
				endingOffset));
	}

	@Override
	public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
		if (this.abandoned.contains(storeName)) {
			// Fails the global thread's initialization, which then closes its consumer and
			// stores and ends.
			throw new StreamsException("Processor '" + this.processorName + "' was stopped while it was loading "
					+ "global store '" + storeName + "'");
		}
		PartitionProgress progress = progress(storeName, partition);
		if (progress != null) {
			progress.restored += numRestored;
		}
		long now = this.clock.getAsLong();
		Long last = this.lastLogged.get(storeName);
		if (last != null && now - last > LOG_INTERVAL.toNanos() && this.lastLogged.replace(storeName, last, now)) {
			StoreRestoration restoration = restoration(storeName);
			logger.info(String.format("Processor '%s': restoring store '%s': %.1f%% (%d of %d records), "
					+ "%.0f records/s, about %s left", this.processorName, storeName, restoration.percent(),
					restoration.restoredRecords(), restoration.totalRecords(), restoration.recordsPerSecond(),
					restoration.estimatedRemaining()));
		}
		this.delegates.forEach((delegate) -> delegate.onBatchRestored(partition, storeName, batchEndOffset,
				numRestored));
	}

	@Override
	public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
		PartitionProgress progress = progress(storeName, partition);
		long now = this.clock.getAsLong();
		if (progress != null) {
			progress.restored = totalRestored;
			// Offsets count transaction markers and aborted records too: what a finished
			// partition had to restore is what it restored.
			progress.total = totalRestored;
			progress.finishedNanos = now;
		}
		StoreRestoration restoration = restoration(storeName);
		if (!restoration.restoring()) {
			this.lastLogged.remove(storeName);
			Episode episode = this.episodes.remove(storeName);
			long restored = (episode != null) ? restoration.restoredRecords() - episode.restoredBefore
					: restoration.restoredRecords();
			if (restored > 0) {
				Duration took = Duration.ofNanos((episode != null) ? now - episode.startedNanos : 0);
				logger.info("Processor '" + this.processorName + "': restored store '" + storeName + "': " + restored
						+ " records in " + describe(restored, took));
			}
		}
		this.delegates.forEach((delegate) -> delegate.onRestoreEnd(partition, storeName, totalRestored));
	}

	/**
	 * How long a restore took, with its rate when it took long enough for one to mean
	 * something: "18 ms", "12.4 s (98000 records/s)".
	 */
	static String describe(long records, Duration took) {
		if (took.compareTo(Duration.ofSeconds(1)) < 0) {
			return Math.max(took.toMillis(), (took.isZero() ? 0 : 1)) + " ms";
		}
		double seconds = took.toNanos() / (double) TimeUnit.SECONDS.toNanos(1);
		return String.format(Locale.ROOT, "%.1f s (%.0f records/s)", seconds, records / seconds);
	}

	@Override
	public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
		// The partition moved to another instance: it no longer counts here.
		Map<TopicPartition, PartitionProgress> partitions = this.stores.get(storeName);
		if (partitions != null) {
			partitions.remove(partition);
		}
		this.delegates.forEach((delegate) -> delegate.onRestoreSuspended(partition, storeName, totalRestored));
	}

	private boolean isRestoring(String storeName) {
		return this.stores.getOrDefault(storeName, Map.of())
			.values()
			.stream()
			.anyMatch((progress) -> progress.finishedNanos == 0);
	}

	boolean isRestoring() {
		for (Map<TopicPartition, PartitionProgress> partitions : this.stores.values()) {
			for (PartitionProgress progress : partitions.values()) {
				if (progress.finishedNanos == 0) {
					return true;
				}
			}
		}
		return false;
	}

	List<StoreRestoration> restorations() {
		List<StoreRestoration> restorations = new ArrayList<>();
		for (String store : this.stores.keySet()) {
			restorations.add(restoration(store));
		}
		return restorations;
	}

	/**
	 * Makes the loading of the given global stores fail at its next batch: the global
	 * thread does not check for a close until it has loaded the whole table.
	 * @param globalStores the names of the processor's global stores
	 */
	void abandon(List<String> globalStores) {
		this.abandoned = Set.copyOf(globalStores);
	}

	void reset() {
		this.abandoned = Set.of();
		this.stores.clear();
		this.lastLogged.clear();
		this.episodes.clear();
	}

	private PartitionProgress progress(String storeName, TopicPartition partition) {
		Map<TopicPartition, PartitionProgress> partitions = this.stores.get(storeName);
		return (partitions != null) ? partitions.get(partition) : null;
	}

	private StoreRestoration restoration(String storeName) {
		long restored = 0;
		long total = 0;
		boolean restoring = false;
		List<long[]> intervals = new ArrayList<>();
		long now = this.clock.getAsLong();
		for (PartitionProgress progress : this.stores.getOrDefault(storeName, Map.of()).values()) {
			restored += progress.restored;
			total += progress.total;
			restoring |= progress.finishedNanos == 0;
			intervals.add(new long[] { progress.startedNanos,
					(progress.finishedNanos != 0) ? progress.finishedNanos : now });
		}
		if (intervals.isEmpty()) {
			return new StoreRestoration(storeName, false, 0, 0, 0, null);
		}
		double seconds = Math.max(1, restoringNanos(intervals)) / (double) TimeUnit.SECONDS.toNanos(1);
		double rate = restored / seconds;
		Duration remaining = (restoring && rate > 0)
				? Duration.ofSeconds((long) Math.ceil(Math.max(0, total - restored) / rate)) : null;
		return new StoreRestoration(storeName, restoring, restored, total, rate, remaining);
	}

	/**
	 * The time during which at least one of the intervals was under way: their union's
	 * length.
	 */
	static long restoringNanos(List<long[]> intervals) {
		List<long[]> sorted = new ArrayList<>(intervals);
		sorted.sort(Comparator.comparingLong((long[] interval) -> interval[0]));
		long total = 0;
		long start = sorted.get(0)[0];
		long end = sorted.get(0)[1];
		for (long[] interval : sorted.subList(1, sorted.size())) {
			if (interval[0] > end) {
				total += end - start;
				start = interval[0];
				end = interval[1];
			}
			else {
				end = Math.max(end, interval[1]);
			}
		}
		return total + (end - start);
	}

	private static final class PartitionProgress {

		volatile long total;

		final long startedNanos;

		volatile long restored;

		volatile long finishedNanos;

		PartitionProgress(long total, long startedNanos) {
			this.total = total;
			this.startedNanos = startedNanos;
		}

	}

	private record Episode(long startedNanos, long restoredBefore) {

	}

}
