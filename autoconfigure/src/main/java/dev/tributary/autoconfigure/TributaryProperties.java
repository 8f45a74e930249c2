package dev.tributary.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.runtime.UncaughtExceptionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of Tributary's stream processors, under {@code tributary.*}.
 *
 * <p>A processor's Kafka Streams properties are merged from, lowest precedence first:
 * Spring Boot's {@code spring.kafka.*} (cluster, security, {@code spring.kafka.streams.*}),
 * {@code tributary.streams.*}, then {@code tributary.processors.<name>.properties.*}.
 */
@ConfigurationProperties("tributary")
public class TributaryProperties {

	/**
	 * Kafka Streams properties applied to every processor, for example
	 * 'num.stream.threads' or 'state.dir'.
	 */
	private Map<String, String> streams = new LinkedHashMap<>();

	/**
	 * Whether processors start with the application context.
	 */
	private boolean autoStartup = true;

	/**
	 * How long stopping a processor may wait for its stream threads to finish.
	 */
	private Duration closeTimeout = Duration.ofSeconds(30);

	/**
	 * What a processor does when a stream thread dies of an unhandled exception.
	 */
	private UncaughtExceptionPolicy uncaughtExceptionPolicy = UncaughtExceptionPolicy.REPLACE_THREAD;

	/**
	 * Per-processor settings, by processor name; each overrides the global ones.
	 */
	private Map<String, Processor> processors = new LinkedHashMap<>();

	/**
	 * The optional in-process Kafka broker for development.
	 */
	private final DevBroker devBroker = new DevBroker();

	/**
	 * One bounded off-heap memory budget shared by the RocksDB state stores of every
	 * processor.
	 */
	private final Rocksdb rocksdb = new Rocksdb();

	public Map<String, String> getStreams() {
		return this.streams;
	}

	public void setStreams(Map<String, String> streams) {
		this.streams = streams;
	}

	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public UncaughtExceptionPolicy getUncaughtExceptionPolicy() {
		return this.uncaughtExceptionPolicy;
	}

	public void setUncaughtExceptionPolicy(UncaughtExceptionPolicy uncaughtExceptionPolicy) {
		this.uncaughtExceptionPolicy = uncaughtExceptionPolicy;
	}

	public Map<String, Processor> getProcessors() {
		return this.processors;
	}

	public void setProcessors(Map<String, Processor> processors) {
		this.processors = processors;
	}

	public DevBroker getDevBroker() {
		return this.devBroker;
	}

	public Rocksdb getRocksdb() {
		return this.rocksdb;
	}

	/**
	 * Settings of one processor.
	 */
	public static class Processor {

		/**
		 * Kafka Streams application id; defaults to '<spring.application.name>-<processor
		 * name>'.
		 */
		private @Nullable String applicationId;

		/**
		 * Whether this processor starts with the application context; defaults to
		 * 'tributary.auto-startup'.
		 */
		private @Nullable Boolean autoStartup;

		/**
		 * How long stopping this processor may wait; defaults to
		 * 'tributary.close-timeout'.
		 */
		private @Nullable Duration closeTimeout;

		/**
		 * What this processor does when a stream thread dies of an unhandled exception;
		 * defaults to 'tributary.uncaught-exception-policy'.
		 */
		private @Nullable UncaughtExceptionPolicy uncaughtExceptionPolicy;

		/**
		 * Kafka Streams properties for this processor only; they override
		 * 'tributary.streams'.
		 */
		private Map<String, String> properties = new LinkedHashMap<>();

		public @Nullable String getApplicationId() {
			return this.applicationId;
		}

		public void setApplicationId(@Nullable String applicationId) {
			this.applicationId = applicationId;
		}

		public @Nullable Boolean getAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(@Nullable Boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(@Nullable Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

		public @Nullable UncaughtExceptionPolicy getUncaughtExceptionPolicy() {
			return this.uncaughtExceptionPolicy;
		}

		public void setUncaughtExceptionPolicy(@Nullable UncaughtExceptionPolicy uncaughtExceptionPolicy) {
			this.uncaughtExceptionPolicy = uncaughtExceptionPolicy;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public void setProperties(Map<String, String> properties) {
			this.properties = properties;
		}

	}

	/**
	 * The in-process development broker.
	 */
	public static class DevBroker {

		/**
		 * Whether to start a single-node KRaft Kafka broker inside the application
		 * (needs 'org.apache.kafka:kafka_2.13' on the classpath). For development and
		 * tests only.
		 */
		private boolean enabled;

		/**
		 * Port the broker listens on; 0 picks a free port. If a broker already listens
		 * on the port, it is used instead.
		 */
		private int port = 9092;

		/**
		 * Directory for the broker's data; kept across restarts. When not set, a
		 * temporary directory is used and deleted on shutdown.
		 */
		private @Nullable String dataDir;

		/**
		 * Number of partitions of topics the broker creates automatically.
		 */
		private int partitions = 1;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getDataDir() {
			return this.dataDir;
		}

		public void setDataDir(@Nullable String dataDir) {
			this.dataDir = dataDir;
		}

		public int getPartitions() {
			return this.partitions;
		}

		public void setPartitions(int partitions) {
			this.partitions = partitions;
		}

	}

	/**
	 * The memory budget of the RocksDB state stores.
	 */
	public static class Rocksdb {

		/**
		 * Total off-heap memory shared by every RocksDB state store of every processor:
		 * block cache, index and filter blocks and memtables. When not set, each store
		 * uses Kafka Streams' defaults (its own 50MB block cache and up to three 16MB
		 * memtables).
		 */
		private @Nullable DataSize totalOffHeapMemory;

		/**
		 * Share of the budget that memtables (write buffers) may take; the rest caches
		 * blocks read from disk. Between 0 and 1, exclusive.
		 */
		private double memtableShare = 0.5;

		/**
		 * Share of the block cache reserved for index and filter blocks, so that data
		 * blocks do not evict them. At least 0 and less than 1.
		 */
		private double highPriorityPoolRatio = 0.1;

		/**
		 * Whether the block cache refuses to grow beyond the budget. When true, a read
		 * that needs a block while the cache is full of pinned blocks and memtables
		 * fails instead of exceeding the budget.
		 */
		private boolean strictCapacityLimit = true;

		/**
		 * Options of the stores whose names match a pattern ('*' matches any
		 * characters, '?' one). Write patterns with '*' in brackets, such as
		 * 'stores[orders-*]'. When several patterns match a store, the most specific
		 * (most characters other than wildcards) wins for each option.
		 */
		private Map<String, Store> stores = new LinkedHashMap<>();

		public @Nullable DataSize getTotalOffHeapMemory() {
			return this.totalOffHeapMemory;
		}

		public void setTotalOffHeapMemory(@Nullable DataSize totalOffHeapMemory) {
			this.totalOffHeapMemory = totalOffHeapMemory;
		}

		public double getMemtableShare() {
			return this.memtableShare;
		}

		public void setMemtableShare(double memtableShare) {
			this.memtableShare = memtableShare;
		}

		public double getHighPriorityPoolRatio() {
			return this.highPriorityPoolRatio;
		}

		public void setHighPriorityPoolRatio(double highPriorityPoolRatio) {
			this.highPriorityPoolRatio = highPriorityPoolRatio;
		}

		public boolean isStrictCapacityLimit() {
			return this.strictCapacityLimit;
		}

		public void setStrictCapacityLimit(boolean strictCapacityLimit) {
			this.strictCapacityLimit = strictCapacityLimit;
		}

		public Map<String, Store> getStores() {
			return this.stores;
		}

		public void setStores(Map<String, Store> stores) {
			this.stores = stores;
		}

		/**
		 * Options of the RocksDB stores matching one pattern; unset options keep Kafka
		 * Streams' defaults.
		 */
		public static class Store {

			/**
			 * Compression of the store's files: none, snappy, lz4, lz4hc, zstd, zlib or
			 * bzip2. Kafka Streams' default is none.
			 */
			private @Nullable String compression;

			/**
			 * Size of the blocks the store reads and caches. Kafka Streams' default is
			 * 4KB.
			 */
			private @Nullable DataSize blockSize;

			/**
			 * Bits per key of the store's bloom filter; 0 turns the filter off. Kafka
			 * Streams' default is 10.
			 */
			private @Nullable Double bloomFilterBits;

			/**
			 * Maximum number of memtables of the store, at least 2. Kafka Streams' default
			 * is 3.
			 */
			private @Nullable Integer maxWriteBufferNumber;

			public @Nullable String getCompression() {
				return this.compression;
			}

			public void setCompression(@Nullable String compression) {
				this.compression = compression;
			}

			public @Nullable DataSize getBlockSize() {
				return this.blockSize;
			}

			public void setBlockSize(@Nullable DataSize blockSize) {
				this.blockSize = blockSize;
			}

			public @Nullable Double getBloomFilterBits() {
				return this.bloomFilterBits;
			}

			public void setBloomFilterBits(@Nullable Double bloomFilterBits) {
				this.bloomFilterBits = bloomFilterBits;
			}

			public @Nullable Integer getMaxWriteBufferNumber() {
				return this.maxWriteBufferNumber;
			}

			public void setMaxWriteBufferNumber(@Nullable Integer maxWriteBufferNumber) {
				this.maxWriteBufferNumber = maxWriteBufferNumber;
			}

		}

	}

}
