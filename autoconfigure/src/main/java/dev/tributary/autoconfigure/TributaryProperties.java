package dev.tributary.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.errors.ErrorHandling;
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
@ConfigurationProperties(prefix = "tributary", ignoreUnknownFields = false)
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
	 * How long stopping a processor may wait for its stream threads to finish. Short
	 * enough that, after Spring Boot's graceful web shutdown, it fits in Kubernetes'
	 * default 30 s termination grace period.
	 */
	private Duration closeTimeout = Duration.ofSeconds(10);

	/**
	 * What a processor does when a stream thread dies of an unhandled exception.
	 */
	private UncaughtExceptionPolicy uncaughtExceptionPolicy = UncaughtExceptionPolicy.REPLACE_THREAD;

	/**
	 * When replacing dead stream threads stops: a processor whose threads keep dying is
	 * shut down and reported down instead of looping.
	 */
	private final CrashLoop crashLoop = new CrashLoop();

	/**
	 * Delivery guarantee of every processor: 'at-least-once' or 'exactly-once' (Kafka
	 * Streams' exactly_once_v2). When not set, Kafka Streams' 'processing.guarantee'
	 * applies (at-least-once by default).
	 */
	private @Nullable Guarantee guarantee;

	/**
	 * What processors do with records that fail.
	 */
	private final Errors errors = new Errors();

	/**
	 * Per-processor settings, by processor name; each overrides the global ones.
	 */
	private Map<String, Processor> processors = new LinkedHashMap<>();

	/**
	 * The optional in-process Kafka broker for development.
	 */
	private final DevBroker devBroker = new DevBroker();

	/**
	 * How processors count towards the application's health.
	 */
	private final Health health = new Health();

	/**
	 * Interactive queries of state stores.
	 */
	private final Query query = new Query();

	/**
	 * One bounded off-heap memory budget shared by the RocksDB state stores of every
	 * processor.
	 */
	private final Rocksdb rocksdb = new Rocksdb();

	/**
	 * The operator's dashboard page.
	 */
	private final Dashboard dashboard = new Dashboard();

	/**
	 * How Kafka Streams' metrics reach Micrometer.
	 */
	private final Metrics metrics = new Metrics();

	/**
	 * Whether a Kafka Streams property in 'tributary.streams' or a processor's
	 * 'properties' that looks like a misspelling of a known one fails start-up instead of
	 * being logged as a warning.
	 */
	private boolean strictProperties;

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

	public CrashLoop getCrashLoop() {
		return this.crashLoop;
	}

	public @Nullable Guarantee getGuarantee() {
		return this.guarantee;
	}

	public void setGuarantee(@Nullable Guarantee guarantee) {
		this.guarantee = guarantee;
	}

	public Errors getErrors() {
		return this.errors;
	}

	/**
	 * A processor's delivery guarantee.
	 */
	public enum Guarantee {

		/** Every record is processed at least once; after a crash some may be processed again. */
		AT_LEAST_ONCE,

		/** Every record's effects (state, output, offsets) happen exactly once (exactly_once_v2). */
		EXACTLY_ONCE

	}

	/**
	 * What a processor does with records that fail to deserialize, to process or to be
	 * produced: 'fail', 'log-and-continue' or 'dead-letter'.
	 */
	public static class Errors {

		/**
		 * Records whose key or value cannot be deserialized.
		 */
		private @Nullable ErrorHandling deserialization;

		/**
		 * Records whose processing throws an exception in the topology's code.
		 */
		private @Nullable ErrorHandling processing;

		/**
		 * Results that cannot be serialized or produced (retriable broker errors are
		 * always retried).
		 */
		private @Nullable ErrorHandling production;

		/**
		 * Name of the dead-letter topic; '{application-id}', '{processor}' and
		 * '{source-topic}' are replaced. Defaults to '{application-id}-dlq'.
		 */
		private @Nullable String deadLetterTopic;

		public @Nullable ErrorHandling getDeserialization() {
			return this.deserialization;
		}

		public void setDeserialization(@Nullable ErrorHandling deserialization) {
			this.deserialization = deserialization;
		}

		public @Nullable ErrorHandling getProcessing() {
			return this.processing;
		}

		public void setProcessing(@Nullable ErrorHandling processing) {
			this.processing = processing;
		}

		public @Nullable ErrorHandling getProduction() {
			return this.production;
		}

		public void setProduction(@Nullable ErrorHandling production) {
			this.production = production;
		}

		public @Nullable String getDeadLetterTopic() {
			return this.deadLetterTopic;
		}

		public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
			this.deadLetterTopic = deadLetterTopic;
		}

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

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public Health getHealth() {
		return this.health;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Query getQuery() {
		return this.query;
	}

	public boolean isStrictProperties() {
		return this.strictProperties;
	}

	public void setStrictProperties(boolean strictProperties) {
		this.strictProperties = strictProperties;
	}

	/**
	 * Interactive queries: routing to the instance that holds a key, forwarding, paging.
	 */
	public static class Query {

		/**
		 * Host other instances use to reach this one (its management server) for
		 * forwarded queries; advertised to Kafka Streams as 'application.server' together
		 * with the management port. Defaults to this machine's address. An
		 * 'application.server' set in the Kafka Streams properties wins.
		 */
		private @Nullable String advertisedHost;

		/**
		 * Entries per page of a range, prefix or full scan when the request gives no
		 * limit.
		 */
		private int defaultLimit = 100;

		/**
		 * The largest page a request may ask for; larger limits are lowered to it.
		 */
		private int maxLimit = 1000;

		/**
		 * How long a forwarded query may take to connect to the instance that holds the
		 * key.
		 */
		private Duration connectTimeout = Duration.ofSeconds(1);

		/**
		 * How long a forwarded query may wait for the answer.
		 */
		private Duration readTimeout = Duration.ofSeconds(5);

		/**
		 * How long a query waits for a rebalance to settle before answering 503.
		 */
		private Duration rebalanceTimeout = Duration.ofSeconds(3);

		/**
		 * Whether a standby replica may answer a key query when the active owner cannot
		 * (unreachable or rebalancing); such answers are marked stale.
		 */
		private boolean allowStale;

		/**
		 * How many records a standby may lag behind and still answer a stale query.
		 */
		private long maxStaleLag = 10_000;

		/**
		 * How instances forward queries to each other.
		 */
		private final Peer peer = new Peer();

		public @Nullable String getAdvertisedHost() {
			return this.advertisedHost;
		}

		public void setAdvertisedHost(@Nullable String advertisedHost) {
			this.advertisedHost = advertisedHost;
		}

		public int getDefaultLimit() {
			return this.defaultLimit;
		}

		public void setDefaultLimit(int defaultLimit) {
			this.defaultLimit = defaultLimit;
		}

		public int getMaxLimit() {
			return this.maxLimit;
		}

		public void setMaxLimit(int maxLimit) {
			this.maxLimit = maxLimit;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public Duration getRebalanceTimeout() {
			return this.rebalanceTimeout;
		}

		public void setRebalanceTimeout(Duration rebalanceTimeout) {
			this.rebalanceTimeout = rebalanceTimeout;
		}

		public boolean isAllowStale() {
			return this.allowStale;
		}

		public void setAllowStale(boolean allowStale) {
			this.allowStale = allowStale;
		}

		public long getMaxStaleLag() {
			return this.maxStaleLag;
		}

		public void setMaxStaleLag(long maxStaleLag) {
			this.maxStaleLag = maxStaleLag;
		}

		public Peer getPeer() {
			return this.peer;
		}

	}

	/**
	 * The channel over which an instance forwards a query for data another instance
	 * holds. Instances authenticate each other with a shared secret, never with the
	 * caller's credentials.
	 */
	public static class Peer {

		/**
		 * Secret every instance of the application shares (at least 16 characters, 32
		 * random ones recommended): forwarded queries and their answers are signed with
		 * it, and it is the only authentication of forwarded queries. Without it,
		 * queries are not forwarded and keys held by other instances cannot be read.
		 */
		private @Nullable String secret;

		/**
		 * Scheme of forwarded queries: 'http' or 'https'. Defaults to 'https' when the
		 * server that serves Actuator has SSL enabled, else 'http'.
		 */
		private @Nullable Scheme scheme;

		/**
		 * Name of the SSL bundle ('spring.ssl.bundle.*') with the trust store (and,
		 * for mutual TLS, the key store) of forwarded queries over https. Defaults to
		 * the JDK's trusted certificate authorities.
		 */
		private @Nullable String sslBundle;

		/**
		 * Largest answer read from another instance; a larger one fails the query.
		 */
		private DataSize maxResponseSize = DataSize.ofMegabytes(16);

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public @Nullable Scheme getScheme() {
			return this.scheme;
		}

		public void setScheme(@Nullable Scheme scheme) {
			this.scheme = scheme;
		}

		public @Nullable String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(@Nullable String sslBundle) {
			this.sslBundle = sslBundle;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

		/**
		 * Scheme of forwarded queries.
		 */
		public enum Scheme {

			/** Plain HTTP. */
			HTTP,

			/** HTTP over TLS. */
			HTTPS

		}

	}

	/**
	 * How many stream thread replacements a processor may go through within a time
	 * window under the 'replace-thread' policy; one more and the processor is shut down
	 * (Kafka Streams' SHUTDOWN_CLIENT), ends in ERROR and reports down.
	 */
	public static class CrashLoop {

		/**
		 * Most stream thread replacements allowed within the window; the next death of a
		 * thread shuts the processor down. 0 shuts it down at the first death.
		 */
		private int maxReplacements = 5;

		/**
		 * The sliding window in which thread replacements are counted.
		 */
		private Duration window = Duration.ofMinutes(5);

		public int getMaxReplacements() {
			return this.maxReplacements;
		}

		public void setMaxReplacements(int maxReplacements) {
			this.maxReplacements = maxReplacements;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

	/**
	 * The operator's dashboard: a page served next to the Actuator endpoints it reads.
	 */
	public static class Dashboard {

		/**
		 * Whether the dashboard page is served.
		 */
		private boolean enabled = true;

		/**
		 * Path of the dashboard page, where Actuator is served (the application's server, or
		 * the management server when 'management.server.port' is set).
		 */
		private String path = "/tributary";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

	}

	/**
	 * How processors count towards the application's health.
	 */
	public static class Health {

		/**
		 * Whether a processor stopped on purpose (or never started) makes the application
		 * unready. By default only processors that should be running count.
		 */
		private boolean unreadyWhenStopped;

		public boolean isUnreadyWhenStopped() {
			return this.unreadyWhenStopped;
		}

		public void setUnreadyWhenStopped(boolean unreadyWhenStopped) {
			this.unreadyWhenStopped = unreadyWhenStopped;
		}

	}

	/**
	 * How Kafka Streams' metrics reach Micrometer.
	 */
	public static class Metrics {

		/**
		 * How often the meters are matched against Kafka Streams' metrics. Kafka Streams
		 * adds metrics as tasks, stores and threads appear (after each rebalance); they
		 * show in Micrometer at the next refresh. Micrometer's own default is a minute.
		 */
		private Duration refreshInterval = Duration.ofSeconds(10);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

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
		 * When replacing this processor's dead stream threads stops; each setting
		 * defaults to the one under 'tributary.crash-loop'.
		 */
		private final ProcessorCrashLoop crashLoop = new ProcessorCrashLoop();

		/**
		 * Kafka Streams properties for this processor only; they override
		 * 'tributary.streams'.
		 */
		private Map<String, String> properties = new LinkedHashMap<>();

		/**
		 * Settings of this processor's state stores, by store name.
		 */
		private Map<String, Store> stores = new LinkedHashMap<>();

		/**
		 * This processor's delivery guarantee; defaults to 'tributary.guarantee'.
		 */
		private @Nullable Guarantee guarantee;

		/**
		 * This processor's error handling; each setting defaults to the one under
		 * 'tributary.errors'.
		 */
		private final Errors errors = new Errors();

		/**
		 * Options of this processor's async steps, by step name; they override what the
		 * topology sets in code.
		 */
		private Map<String, AsyncStep> async = new LinkedHashMap<>();

		public Map<String, AsyncStep> getAsync() {
			return this.async;
		}

		public void setAsync(Map<String, AsyncStep> async) {
			this.async = async;
		}

		public @Nullable Guarantee getGuarantee() {
			return this.guarantee;
		}

		public void setGuarantee(@Nullable Guarantee guarantee) {
			this.guarantee = guarantee;
		}

		public Errors getErrors() {
			return this.errors;
		}

		public Map<String, Store> getStores() {
			return this.stores;
		}

		public void setStores(Map<String, Store> stores) {
			this.stores = stores;
		}

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

		public ProcessorCrashLoop getCrashLoop() {
			return this.crashLoop;
		}

		public void setProperties(Map<String, String> properties) {
			this.properties = properties;
		}

	}

	/**
	 * One processor's crash-loop limit; unset values come from 'tributary.crash-loop'.
	 */
	public static class ProcessorCrashLoop {

		/**
		 * Most stream thread replacements allowed within the window; defaults to
		 * 'tributary.crash-loop.max-replacements'.
		 */
		private @Nullable Integer maxReplacements;

		/**
		 * The window in which thread replacements are counted; defaults to
		 * 'tributary.crash-loop.window'.
		 */
		private @Nullable Duration window;

		public @Nullable Integer getMaxReplacements() {
			return this.maxReplacements;
		}

		public void setMaxReplacements(@Nullable Integer maxReplacements) {
			this.maxReplacements = maxReplacements;
		}

		public @Nullable Duration getWindow() {
			return this.window;
		}

		public void setWindow(@Nullable Duration window) {
			this.window = window;
		}

	}

	/**
	 * Options of one async step; unset ones keep what the topology sets in code, or the
	 * defaults.
	 */
	public static class AsyncStep {

		/**
		 * Calls in flight on this instance at most (default 100).
		 */
		private @Nullable Integer maxInFlight;

		/**
		 * Calls in flight for one key at most (default 1); results keep each key's input
		 * order whatever this is.
		 */
		private @Nullable Integer maxInFlightPerKey;

		/**
		 * How long one attempt of a call may take (default 30s).
		 */
		private @Nullable Duration timeout;

		/**
		 * Retries after a failed or timed-out attempt (default 2).
		 */
		private @Nullable Integer retries;

		/**
		 * The first back-off between attempts, doubled for each retry (default 100ms).
		 */
		private @Nullable Duration backoff;

		/**
		 * Records the step holds at most, waiting, in flight or not yet committed; when
		 * reached, its partitions are paused (default: four times max-in-flight, at least
		 * 10000).
		 */
		private @Nullable Integer maxBufferedRecords;

		/**
		 * Bytes of records the step holds at most (default 64MB).
		 */
		private @Nullable DataSize maxBufferedBytes;

		/**
		 * Partitions of the step's requests and results topics when Tributary creates them
		 * (default: as many as the processor's largest source topic).
		 */
		private @Nullable Integer partitions;

		public @Nullable Integer getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(@Nullable Integer maxInFlight) {
			this.maxInFlight = maxInFlight;
		}

		public @Nullable Integer getMaxInFlightPerKey() {
			return this.maxInFlightPerKey;
		}

		public void setMaxInFlightPerKey(@Nullable Integer maxInFlightPerKey) {
			this.maxInFlightPerKey = maxInFlightPerKey;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Integer getRetries() {
			return this.retries;
		}

		public void setRetries(@Nullable Integer retries) {
			this.retries = retries;
		}

		public @Nullable Duration getBackoff() {
			return this.backoff;
		}

		public void setBackoff(@Nullable Duration backoff) {
			this.backoff = backoff;
		}

		public @Nullable Integer getMaxBufferedRecords() {
			return this.maxBufferedRecords;
		}

		public void setMaxBufferedRecords(@Nullable Integer maxBufferedRecords) {
			this.maxBufferedRecords = maxBufferedRecords;
		}

		public @Nullable DataSize getMaxBufferedBytes() {
			return this.maxBufferedBytes;
		}

		public void setMaxBufferedBytes(@Nullable DataSize maxBufferedBytes) {
			this.maxBufferedBytes = maxBufferedBytes;
		}

		public @Nullable Integer getPartitions() {
			return this.partitions;
		}

		public void setPartitions(@Nullable Integer partitions) {
			this.partitions = partitions;
		}

	}

	/**
	 * Settings of one state store.
	 */
	public static class Store {

		/**
		 * Type of the store's keys for interactive queries: 'string', 'long', 'integer',
		 * 'uuid', 'bytes', or the name of a QueryKeyType bean. When not set: the type of
		 * the processor's default.key.serde when it is one of Kafka's built-in serdes,
		 * else 'string'. Every instance resolves it the same way, never from the data.
		 */
		private @Nullable String keyType;

		/**
		 * Name of a StreamPartitioner bean that finds the partition of a key of this
		 * store, for routing queries, when the store's source topic is not partitioned
		 * by Kafka's default (murmur2 of the serialized key): records written with a
		 * custom producer partitioner or through a StreamPartitioner.
		 */
		private @Nullable String partitioner;

		public @Nullable String getKeyType() {
			return this.keyType;
		}

		public void setKeyType(@Nullable String keyType) {
			this.keyType = keyType;
		}

		public @Nullable String getPartitioner() {
			return this.partitioner;
		}

		public void setPartitioner(@Nullable String partitioner) {
			this.partitioner = partitioner;
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
		 * Directory for the broker's data; kept across restarts. Defaults to
		 * 'tributary-dev-broker' inside the processors' state directory
		 * ('tributary.streams.state.dir', else Kafka Streams' default), so that the
		 * broker's data and the local state are kept, and deleted, together.
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
		 * Whether the block cache refuses to grow beyond the budget. When false, the
		 * cache may overshoot by what is pinned (memtables, blocks in use) for a while.
		 * When true, a read that needs a block while the cache is full of pinned blocks
		 * and memtables fails instead, and the stream thread that read it dies.
		 */
		private boolean strictCapacityLimit = false;

		/**
		 * Whether Kafka Streams' RocksDB property metrics (memtable sizes, estimated keys,
		 * SST file sizes, block cache usage per store) are published to Micrometer. Kafka
		 * Streams reads them from the store's RocksDB instance without a lock against the
		 * store's close, so a scrape during a task migration can crash the JVM.
		 */
		private boolean kafkaPropertyMetrics = false;

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

		public boolean isKafkaPropertyMetrics() {
			return this.kafkaPropertyMetrics;
		}

		public void setKafkaPropertyMetrics(boolean kafkaPropertyMetrics) {
			this.kafkaPropertyMetrics = kafkaPropertyMetrics;
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
