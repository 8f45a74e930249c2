package dev.tributary.rocksdb;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.TableFormatConfig;
import org.rocksdb.WriteBufferManager;

/**
 * The one off-heap memory budget that every RocksDB store draws from: an
 * {@link LRUCache} of the budget's size holding data, index and filter blocks, and a
 * {@link WriteBufferManager} that charges the stores' memtables to the same cache.
 *
 * <p>Created once per application and closed when the application stops, after its
 * processors have closed; stores opening and closing as tasks migrate do not touch it.
 * Closing it while a store is still open is safe: RocksDB keeps the native cache alive
 * until the last store using it closes.
 */
public final class SharedRocksDbMemory implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SharedRocksDbMemory.class);

	private final long capacity;

	private final long memtableLimit;

	private final double highPriorityPoolRatio;

	private final boolean strictCapacityLimit;

	private final LRUCache cache;

	private final WriteBufferManager writeBufferManager;

	private volatile boolean closed;

	private final AtomicLong nativeReads = new AtomicLong();

	/**
	 * Allocates the shared cache and write buffer manager.
	 * @param capacity the total off-heap budget in bytes
	 * @param memtableShare the share of the budget memtables may take, in (0, 1)
	 * @param highPriorityPoolRatio the share of the cache reserved for index and filter
	 * blocks, in [0, 1)
	 * @param strictCapacityLimit whether the cache refuses to grow beyond its capacity;
	 * when it does, a read or write that needs room while the cache is full of pinned
	 * entries (memtables, blocks in use) fails and kills its stream thread, which is why
	 * {@code tributary.rocksdb.strict-capacity-limit} defaults to false
	 */
	public SharedRocksDbMemory(long capacity, double memtableShare, double highPriorityPoolRatio,
			boolean strictCapacityLimit) {
		if (capacity <= 0) {
			throw new IllegalArgumentException("capacity must be positive, not " + capacity);
		}
		if (!(memtableShare > 0 && memtableShare < 1)) {
			throw new IllegalArgumentException("memtableShare must be between 0 and 1, not " + memtableShare);
		}
		if (!(highPriorityPoolRatio >= 0 && highPriorityPoolRatio < 1)) {
			throw new IllegalArgumentException(
					"highPriorityPoolRatio must be at least 0 and less than 1, not " + highPriorityPoolRatio);
		}
		RocksDB.loadLibrary();
		this.capacity = capacity;
		this.memtableLimit = (long) (capacity * memtableShare);
		this.highPriorityPoolRatio = highPriorityPoolRatio;
		this.strictCapacityLimit = strictCapacityLimit;
		// -1: let RocksDB choose the number of shards from the capacity.
		this.cache = new LRUCache(capacity, -1, strictCapacityLimit, highPriorityPoolRatio);
		this.writeBufferManager = new WriteBufferManager(this.memtableLimit, this.cache);
		NativeAllocator allocator = NativeAllocator.current();
		String problem = allocator.headroomProblem(NativeAllocator.containerMemoryLimit(),
				Runtime.getRuntime().maxMemory(), capacity);
		if (problem != null) {
			logger.info(describe() + "; native allocator: " + allocator.name());
			logger.warn("RocksDB memory comes from " + allocator.name() + " and " + problem + ": "
					+ allocator.advice());
		}
		else {
			// Advice, not a warning, while nothing says the memory it keeps will not fit.
			logger.info(describe() + "; native allocator: " + allocator.name()
					+ ((allocator.advice() != null) ? ": " + allocator.advice() : ""));
		}
	}

	/**
	 * Points a store's options at the shared cache and write buffer manager, caches its
	 * index and filter blocks in the cache (with high priority, the top level of
	 * partitioned ones pinned) instead of holding them outside the budget, and sets the
	 * table configuration on the options. Setting it builds the native table factory,
	 * which reads the cache's native handle: under this lock, so never after
	 * {@link #close()}.
	 * @param options the store's options, as Kafka Streams prepared them
	 * @param tableConfig the store's table configuration from {@code options}, with the
	 * store's own changes already made
	 */
	synchronized void applyTo(Options options, BlockBasedTableConfig tableConfig) {
		if (this.closed) {
			throw new IllegalStateException("The shared RocksDB memory is closed; the application is stopping");
		}
		tableConfig.setBlockCache(this.cache);
		tableConfig.setCacheIndexAndFilterBlocks(true);
		tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
		tableConfig.setPinTopLevelIndexAndFilter(true);
		options.setWriteBufferManager(this.writeBufferManager);
		options.setTableFormatConfig(tableConfig);
	}

	/**
	 * The total budget, which is the capacity of the shared block cache.
	 * @return the budget in bytes
	 */
	public long capacity() {
		return this.capacity;
	}

	/**
	 * How much of the budget memtables may take before RocksDB flushes them.
	 * @return the memtable limit in bytes
	 */
	public long memtableLimit() {
		return this.memtableLimit;
	}

	/**
	 * The share of the cache reserved for index and filter blocks.
	 * @return the high-priority pool ratio
	 */
	public double highPriorityPoolRatio() {
		return this.highPriorityPoolRatio;
	}

	/**
	 * Whether the cache refuses to grow beyond its capacity.
	 * @return whether the capacity is a strict limit
	 */
	public boolean strictCapacityLimit() {
		return this.strictCapacityLimit;
	}

	/**
	 * The shared cache.
	 * @return the cache every store uses
	 */
	public Cache cache() {
		return this.cache;
	}

	/**
	 * The shared write buffer manager.
	 * @return the write buffer manager every store uses
	 */
	public WriteBufferManager writeBufferManager() {
		return this.writeBufferManager;
	}

	/**
	 * The memory currently held in the cache: blocks and memtable reservations.
	 * @return the usage in bytes, or 0 once closed
	 */
	public synchronized long usage() {
		if (this.closed) {
			return 0;
		}
		this.nativeReads.incrementAndGet();
		return this.cache.getUsage();
	}

	/**
	 * The memory held by entries in use that cannot be evicted.
	 * @return the pinned usage in bytes, or 0 once closed
	 */
	public synchronized long pinnedUsage() {
		if (this.closed) {
			return 0;
		}
		this.nativeReads.incrementAndGet();
		return this.cache.getPinnedUsage();
	}

	/**
	 * How many times the cache's native memory has been read, to test that a scrape's
	 * cost does not grow with the number of stores.
	 */
	long nativeReads() {
		return this.nativeReads.get();
	}

	/**
	 * Whether {@link #close()} has been called.
	 * @return whether the shared objects are closed
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Releases the write buffer manager and the cache. Synchronized with the readers of
	 * the cache: a gauge reading a closed native cache would crash the JVM.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.writeBufferManager.close();
		this.cache.close();
		logger.debug("Closed the shared RocksDB block cache and write buffer manager");
	}

	/**
	 * Describes the budget for the start-up log.
	 * @return a sentence stating the budget
	 */
	String describe() {
		return "RocksDB memory budget: " + mb(this.capacity) + " off-heap shared by every state store of every "
				+ "processor (memtables up to " + mb(this.memtableLimit) + ", "
				+ Math.round(this.highPriorityPoolRatio * 100) + "% of the block cache reserved for index and filter "
				+ "blocks, " + (this.strictCapacityLimit ? "strict" : "soft") + " capacity limit)";
	}

	static String mb(long bytes) {
		double mb = bytes / (1024.0 * 1024.0);
		return (mb == Math.rint(mb)) ? ((long) mb) + " MB" : String.format(java.util.Locale.ROOT, "%.1f MB", mb);
	}

	/**
	 * Checks that a table format configuration is the block-based one Kafka Streams
	 * prepares, which Tributary must change in place.
	 */
	static BlockBasedTableConfig blockBased(String storeName, TableFormatConfig config) {
		if (config instanceof BlockBasedTableConfig blockBased) {
			return blockBased;
		}
		throw new IllegalStateException("RocksDB store '" + storeName + "' has the table format "
				+ ((config != null) ? config.getClass().getName() : "null")
				+ "; Tributary can only configure the block-based table format Kafka Streams sets up");
	}

}
