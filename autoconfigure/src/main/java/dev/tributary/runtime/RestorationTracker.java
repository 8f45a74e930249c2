package dev.tributary.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
 */
final class RestorationTracker implements StateRestoreListener {

	static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(RestorationTracker.class);

	private final String processorName;

	private final List<StateRestoreListener> delegates;

	private final Map<String, Map<TopicPartition, PartitionProgress>> stores = new ConcurrentHashMap<>();

	private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

	// Global stores whose load a close abandons (see abandon).
	private volatile Set<String> abandoned = Set.of();

	RestorationTracker(String processorName, List<StateRestoreListener> delegates) {
		this.processorName = processorName;
		this.delegates = List.copyOf(delegates);
	}

	@Override
	public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
		this.stores.computeIfAbsent(storeName, (name) -> new ConcurrentHashMap<>())
			.put(partition, new PartitionProgress(endingOffset - startingOffset));
		if (this.lastLogged.putIfAbsent(storeName, System.nanoTime()) == null) {
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
		long now = System.nanoTime();
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
		if (progress != null) {
			progress.restored = totalRestored;
			progress.finishedNanos = System.nanoTime();
		}
		StoreRestoration restoration = restoration(storeName);
		if (!restoration.restoring()) {
			this.lastLogged.remove(storeName);
			logger.info(String.format("Processor '%s': restored store '%s': %d records at %.0f records/s",
					this.processorName, storeName, restoration.restoredRecords(), restoration.recordsPerSecond()));
		}
		this.delegates.forEach((delegate) -> delegate.onRestoreEnd(partition, storeName, totalRestored));
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
	}

	private PartitionProgress progress(String storeName, TopicPartition partition) {
		Map<TopicPartition, PartitionProgress> partitions = this.stores.get(storeName);
		return (partitions != null) ? partitions.get(partition) : null;
	}

	private StoreRestoration restoration(String storeName) {
		long restored = 0;
		long total = 0;
		long startedNanos = Long.MAX_VALUE;
		long finishedNanos = 0;
		boolean restoring = false;
		for (PartitionProgress progress : this.stores.getOrDefault(storeName, Map.of()).values()) {
			restored += progress.restored;
			total += progress.total;
			startedNanos = Math.min(startedNanos, progress.startedNanos);
			finishedNanos = Math.max(finishedNanos, progress.finishedNanos);
			restoring |= progress.finishedNanos == 0;
		}
		if (startedNanos == Long.MAX_VALUE) {
			return new StoreRestoration(storeName, false, 0, 0, 0, null);
		}
		long endNanos = restoring ? System.nanoTime() : finishedNanos;
		double seconds = Math.max(1, endNanos - startedNanos) / (double) TimeUnit.SECONDS.toNanos(1);
		double rate = restored / seconds;
		Duration remaining = (restoring && rate > 0)
				? Duration.ofSeconds((long) Math.ceil(Math.max(0, total - restored) / rate)) : null;
		return new StoreRestoration(storeName, restoring, restored, total, rate, remaining);
	}

	private static final class PartitionProgress {

		final long total;

		final long startedNanos = System.nanoTime();

		volatile long restored;

		volatile long finishedNanos;

		PartitionProgress(long total) {
			this.total = total;
		}

	}

}
