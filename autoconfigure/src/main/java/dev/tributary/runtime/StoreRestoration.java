package dev.tributary.runtime;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How far restoring one state store from its changelog has come, over all the store's
 * partitions this instance restores.
 *
 * @param store the store name
 * @param restoring whether a partition of the store is still restoring
 * @param restoredRecords records restored so far
 * @param totalRecords records to restore in all (changelog end minus start offsets)
 * @param recordsPerSecond the restore rate since the restoration started
 * @param estimatedRemaining the estimated time left, or {@code null} when unknown or done
 */
public record StoreRestoration(String store, boolean restoring, long restoredRecords, long totalRecords,
		double recordsPerSecond, @Nullable Duration estimatedRemaining) {

	/**
	 * The share restored, from 0 to 100.
	 * @return the percentage
	 */
	public double percent() {
		if (this.totalRecords <= 0) {
			return 100.0;
		}
		return Math.min(100.0, 100.0 * this.restoredRecords / this.totalRecords);
	}

	/**
	 * Records still to restore.
	 * @return the remaining record count
	 */
	public long remainingRecords() {
		return Math.max(0, this.totalRecords - this.restoredRecords);
	}

}
