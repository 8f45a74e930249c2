package dev.tributary.rocksdb;

import org.jspecify.annotations.Nullable;

/**
 * RocksDB options of one state store. An option that is {@code null} keeps Kafka
 * Streams' default.
 *
 * @param compression the compression of the store's files
 * @param blockSize the size in bytes of the blocks the store reads and caches
 * @param bloomFilterBits bits per key of the bloom filter; 0 for no filter
 * @param maxWriteBufferNumber the maximum number of memtables
 */
public record StoreOptions(@Nullable Compression compression, @Nullable Long blockSize,
		@Nullable Double bloomFilterBits, @Nullable Integer maxWriteBufferNumber) {

	/**
	 * Options that change nothing.
	 */
	public static final StoreOptions DEFAULTS = new StoreOptions(null, null, null, null);

	/**
	 * These options with every option that {@code other} sets taken from {@code other}.
	 * @param other the options that take precedence
	 * @return the combined options
	 */
	public StoreOptions overriddenBy(StoreOptions other) {
		return new StoreOptions(pick(other.compression, this.compression), pick(other.blockSize, this.blockSize),
				pick(other.bloomFilterBits, this.bloomFilterBits),
				pick(other.maxWriteBufferNumber, this.maxWriteBufferNumber));
	}

	private static <T> @Nullable T pick(@Nullable T preferred, @Nullable T fallback) {
		return (preferred != null) ? preferred : fallback;
	}

}
