package dev.tributary.rocksdb;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Filter;
import org.rocksdb.Options;

/**
 * The RocksDB state stores of the application: the shared memory budget they draw
 * from, the options each gets by name, and which are open.
 *
 * <p>Kafka Streams creates its {@code rocksdb.config.setter} by class name, so this
 * object reaches {@link TributaryRocksDbConfigSetter} through the processor's Kafka
 * Streams properties: {@link #configure(String, Map)} puts it there.
 */
public final class RocksDbStores {

	/**
	 * The Kafka Streams property under which the setter finds this object.
	 */
	public static final String CONFIG_KEY = RocksDbStores.class.getName();

	/**
	 * The Kafka Streams property under which the setter finds the processor's name.
	 */
	public static final String PROCESSOR_CONFIG_KEY = RocksDbStores.class.getName() + ".processor";

	private static final Log logger = LogFactory.getLog(RocksDbStores.class);

	/** A segment of a window or session store is named {@code <store>.<segment id>}. */
	private static final Pattern SEGMENT_SUFFIX = Pattern.compile("\\.\\d+$");

	private final @Nullable SharedRocksDbMemory memory;

	private final StorePatterns patterns;

	private final Map<String, Set<String>> storeNamesByProcessor = new ConcurrentHashMap<>();

	private final Set<OpenStore> openStores = ConcurrentHashMap.newKeySet();

	private final Set<StoreId> seenStores = ConcurrentHashMap.newKeySet();

	/** Open instances per store, so that a gauge reads one number, not the whole set. */
	private final Map<StoreId, AtomicInteger> openInstances = new ConcurrentHashMap<>();

	private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates the stores' configuration.
	 * @param memory the shared budget, or {@code null} to leave each store's memory at
	 * Kafka Streams' defaults
	 * @param optionsByPattern store options by store name pattern, in configuration order
	 */
	public RocksDbStores(@Nullable SharedRocksDbMemory memory, Map<String, StoreOptions> optionsByPattern) {
		this.memory = memory;
		this.patterns = new StorePatterns(optionsByPattern);
	}

	/**
	 * Whether Tributary configures RocksDB at all: a budget or store options are set.
	 * @return whether processors get Tributary's {@code rocksdb.config.setter}
	 */
	public boolean isActive() {
		return this.memory != null || !this.patterns.isEmpty();
	}

	/**
	 * The shared budget.
	 * @return the budget, or {@code null} when memory is not bounded
	 */
	public @Nullable SharedRocksDbMemory memory() {
		return this.memory;
	}

	/**
	 * Adds Tributary's config setter and this object to a processor's Kafka Streams
	 * properties.
	 * @param processor the processor's name
	 * @param streamsProperties the processor's properties, without a
	 * {@code rocksdb.config.setter}
	 */
	public void configure(String processor, Map<Object, Object> streamsProperties) {
		streamsProperties.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
				TributaryRocksDbConfigSetter.class.getName());
		streamsProperties.put(CONFIG_KEY, this);
		streamsProperties.put(PROCESSOR_CONFIG_KEY, processor);
	}

	/**
	 * Records the state store names of a processor's topology, to tell segments of
	 * window and session stores from stores and to report patterns that match nothing.
	 * @param processor the processor's name
	 * @param storeNames the names of the stores in its topology
	 */
	public void registerStoreNames(String processor, Collection<String> storeNames) {
		this.storeNamesByProcessor.put(processor, Set.copyOf(storeNames));
	}

	/**
	 * Logs a warning for every store pattern that matches no store of any processor,
	 * usually a typo or a '*' that was dropped because the key was not in brackets.
	 */
	public void warnAboutUnmatchedPatterns() {
		Set<String> all = new LinkedHashSet<>();
		this.storeNamesByProcessor.values().forEach(all::addAll);
		for (String pattern : this.patterns.unmatched(all)) {
			logger.warn("tributary.rocksdb.stores." + pattern + " matches no state store of any processor; stores: "
					+ all.stream().sorted().toList() + ". Write patterns with '*' in brackets, such as "
					+ "'tributary.rocksdb.stores[orders-*].compression'");
		}
	}

	/**
	 * The options configured for a store.
	 * @param processor the processor's name
	 * @param storeName the store's name, or the name of one of its segments
	 * @return the options; {@link StoreOptions#DEFAULTS} when no pattern matches
	 */
	public StoreOptions optionsFor(String processor, String storeName) {
		return this.patterns.optionsFor(storeName, storeName(processor, storeName));
	}

	/**
	 * The RocksDB instances open now.
	 * @return the open stores
	 */
	public List<OpenStore> openStores() {
		return List.copyOf(this.openStores);
	}

	/**
	 * How many RocksDB instances are open now.
	 * @return the number of open stores and segments
	 */
	public int openInstanceCount() {
		return this.openStores.size();
	}

	/**
	 * How many RocksDB instances of a store are open now.
	 * @param store the store
	 * @return the number of its open instances: one per task, or per segment and task
	 */
	public int openInstanceCount(StoreId store) {
		AtomicInteger count = this.openInstances.get(store);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * The stores that have been open at some time since the application started.
	 * @return the stores, by processor and store name
	 */
	public Set<StoreId> seenStores() {
		return Set.copyOf(this.seenStores);
	}

	void addListener(StoreListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Applies the budget and the store's options; called by the config setter before
	 * Kafka Streams opens the RocksDB instance.
	 * @return the store, to close when the RocksDB instance closes
	 */
	OpenStore open(String processor, String instanceName, Options options) {
		String storeName = storeName(processor, instanceName);
		StoreOptions storeOptions = this.patterns.optionsFor(instanceName, storeName);
		BlockBasedTableConfig tableConfig = SharedRocksDbMemory.blockBased(instanceName, options.tableFormatConfig());
		if (storeOptions.compression() != null) {
			options.setCompressionType(storeOptions.compression().type());
		}
		if (storeOptions.blockSize() != null) {
			tableConfig.setBlockSize(storeOptions.blockSize());
		}
		Filter filter = null;
		if (storeOptions.bloomFilterBits() != null) {
			// Kafka Streams closes the filter it created; this one is the store's to close.
			filter = (storeOptions.bloomFilterBits() > 0) ? new BloomFilter(storeOptions.bloomFilterBits()) : null;
			tableConfig.setFilterPolicy(filter);
		}
		if (storeOptions.maxWriteBufferNumber() != null) {
			options.setMaxWriteBufferNumber(storeOptions.maxWriteBufferNumber());
		}
		try {
			if (this.memory != null) {
				// Sets the table configuration too: building its native factory reads the
				// shared cache's handle, which must happen under the lock close() takes.
				this.memory.applyTo(options, tableConfig);
			}
			else {
				// The native table factory is built when the configuration is set: set it again.
				options.setTableFormatConfig(tableConfig);
			}
		}
		catch (RuntimeException ex) {
			if (filter != null) {
				filter.close();
			}
			throw ex;
		}
		StoreId id = new StoreId(processor, storeName);
		OpenStore store = new OpenStore(id, instanceName, storeOptions, filter, this);
		this.openInstances.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
		this.openStores.add(store);
		if (this.seenStores.add(id)) {
			this.listeners.forEach((listener) -> listener.storeOpened(id));
		}
		return store;
	}

	void closed(OpenStore store) {
		if (this.openStores.remove(store)) {
			this.openInstances.get(store.id).decrementAndGet();
		}
	}

	private String storeName(String processor, String instanceName) {
		Set<String> known = this.storeNamesByProcessor.getOrDefault(processor, Set.of());
		if (known.contains(instanceName)) {
			return instanceName;
		}
		String withoutSegment = SEGMENT_SUFFIX.matcher(instanceName).replaceFirst("");
		return (known.isEmpty() || known.contains(withoutSegment)) ? withoutSegment : instanceName;
	}

	static RocksDbStores from(Map<String, Object> configs) {
		Object stores = configs.get(CONFIG_KEY);
		if (stores instanceof RocksDbStores rocksDbStores) {
			return rocksDbStores;
		}
		throw new IllegalStateException(TributaryRocksDbConfigSetter.class.getName()
				+ " needs the RocksDbStores Tributary puts into each processor's Kafka Streams properties; "
				+ "do not set rocksdb.config.setter to it yourself, configure tributary.rocksdb.* instead");
	}

	/**
	 * A store, by processor and store name.
	 *
	 * @param processor the processor's name
	 * @param store the store's name (for window and session stores, not a segment's)
	 */
	public record StoreId(String processor, String store) {
	}

	/**
	 * Notified the first time a store opens.
	 */
	interface StoreListener {

		void storeOpened(StoreId store);

	}

	/**
	 * One open RocksDB instance: a store, or one segment of a window or session store.
	 */
	public static final class OpenStore implements AutoCloseable {

		private final StoreId id;

		private final String instance;

		private final StoreOptions options;

		private final @Nullable Filter filter;

		private final RocksDbStores owner;

		OpenStore(StoreId id, String instance, StoreOptions options, @Nullable Filter filter, RocksDbStores owner) {
			this.id = id;
			this.instance = instance;
			this.options = options;
			this.filter = filter;
			this.owner = owner;
		}

		/**
		 * The processor's name.
		 * @return the processor the store belongs to
		 */
		public String processor() {
			return this.id.processor();
		}

		/**
		 * The store's name.
		 * @return the store's name; for a segment, the name of its window or session store
		 */
		public String store() {
			return this.id.store();
		}

		/**
		 * The RocksDB instance's name.
		 * @return the store's name, or the segment's
		 */
		public String instance() {
			return this.instance;
		}

		/**
		 * The shared budget the store draws from.
		 * @return the shared memory, or {@code null} when memory is not bounded
		 */
		public @Nullable SharedRocksDbMemory memory() {
			return this.owner.memory;
		}

		/**
		 * The options applied.
		 * @return the options configured for the store
		 */
		public StoreOptions options() {
			return this.options;
		}

		/**
		 * The bloom filter created for this store, if its options set one.
		 * @return the filter, released when the store closes
		 */
		@Nullable Filter filter() {
			return this.filter;
		}

		/**
		 * Releases the objects created for this store; never the shared cache.
		 */
		@Override
		public void close() {
			if (this.filter != null) {
				this.filter.close();
			}
			this.owner.closed(this);
		}

		@Override
		public String toString() {
			return "OpenStore[" + this.id.processor() + "/" + this.instance + "]";
		}

	}

}
