package dev.tributary.query;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Queries the state stores of the application's processors from any instance: a key
 * query is answered by the instance that owns the key's partition (here, or through one
 * forwarded call to that instance), range and full scans ask every instance that holds
 * the store and merge the answers in key order, a page at a time.
 *
 * <p>Local reads use Kafka Streams' interactive queries (IQv2), active partitions only.
 * During a rebalance a query retries for up to {@code tributary.query.rebalance-timeout}
 * before failing with a 503 {@link QueryException}; it never hangs. Forwarding only ever
 * targets hosts taken from Kafka Streams' metadata.
 *
 * <p>Keys are given in the store's key type ({@code String}, {@code Long}, ...); see
 * {@link QueryKeyType}. Results say which instance answered.
 */
public class StateStoreQueryService {

	private static final Comparator<byte[]> KEY_ORDER = Bytes.BYTES_LEXICO_COMPARATOR::compare;

	private final ProcessorRegistry processors;

	private final QueryKeyTypes keyTypes;

	private final ApplicationServerAdvertiser advertiser;

	private final RemoteStoreClient remote;

	private final Settings settings;

	private final Map<KafkaStreams, Map<String, StoreType>> storeTypes = java.util.Collections
		.synchronizedMap(new java.util.WeakHashMap<>());

	// Standby lags come from the broker (end offsets of every local changelog): one call
	// per instance and second serves every stale query, however many arrive.
	private final Map<KafkaStreams, CachedLags> lags = java.util.Collections
		.synchronizedMap(new java.util.WeakHashMap<>());

	/**
	 * What the service needs to know from the configuration.
	 *
	 * @param defaultLimit page size when none is asked for
	 * @param maxLimit the largest page size
	 * @param rebalanceTimeout how long to wait for a rebalance to settle
	 * @param allowStale whether standbys may answer key queries
	 * @param maxStaleLag how far a standby may lag to answer
	 */
	public record Settings(int defaultLimit, int maxLimit, Duration rebalanceTimeout, boolean allowStale,
			long maxStaleLag) {

	}

	StateStoreQueryService(ProcessorRegistry processors, QueryKeyTypes keyTypes, ApplicationServerAdvertiser advertiser,
			RemoteStoreClient remote, Settings settings) {
		this.processors = processors;
		this.keyTypes = keyTypes;
		this.advertiser = advertiser;
		this.remote = remote;
		this.settings = settings;
	}

	// ---- Java API -------------------------------------------------------------------

	/**
	 * Looks up a key of a key-value store (plain, timestamped or versioned: its current
	 * value).
	 * @param processor the processor name
	 * @param store the store name
	 * @param key the key, in the store's key type
	 * @return the value and the instance that answered
	 * @throws QueryException 404 if the key is absent, see the class description for the
	 * others
	 */
	public QueryResult get(String processor, String store, Object key) {
		return get(processor, store, key, null);
	}

	/**
	 * Looks up a key of a versioned key-value store as of a point in time.
	 * @param processor the processor name
	 * @param store the store name
	 * @param key the key
	 * @param asOf the point in time, or {@code null} for the current value
	 * @return the value and the instance that answered
	 */
	public QueryResult get(String processor, String store, Object key, @Nullable Instant asOf) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (asOf != null) {
			parameters.put("asOf", String.valueOf(asOf.toEpochMilli()));
		}
		return toResult(key(processor, store, key, parameters, null, Scope.ROUTED));
	}

	/**
	 * Returns the keys of a key-value store from {@code from} to {@code to} (inclusive;
	 * either may be {@code null} for open), in key order across all instances.
	 * @param processor the processor name
	 * @param store the store name
	 * @param from the first key, or {@code null}
	 * @param to the last key, or {@code null}
	 * @param limit the page size, or {@code null} for the default; clamped to the maximum
	 * @param cursor the {@code nextCursor} of the previous page, or {@code null}
	 * @return one page
	 */
	public KeyValuePage range(String processor, String store, @Nullable Object from, @Nullable Object to,
			@Nullable Integer limit, @Nullable String cursor) {
		return toPage(scan(processor, store, from, to, null, limit, cursor, null, Scope.ROUTED));
	}

	/**
	 * Returns every key of a key-value store, a page at a time, in key order.
	 * @param processor the processor name
	 * @param store the store name
	 * @param limit the page size, or {@code null} for the default
	 * @param cursor the {@code nextCursor} of the previous page, or {@code null}
	 * @return one page
	 */
	public KeyValuePage all(String processor, String store, @Nullable Integer limit, @Nullable String cursor) {
		return range(processor, store, null, null, limit, cursor);
	}

	/**
	 * Returns the keys of a string-keyed key-value store that start with a prefix.
	 * @param processor the processor name
	 * @param store the store name
	 * @param prefix the prefix
	 * @param limit the page size, or {@code null} for the default
	 * @param cursor the {@code nextCursor} of the previous page, or {@code null}
	 * @return one page
	 */
	public KeyValuePage prefix(String processor, String store, String prefix, @Nullable Integer limit,
			@Nullable String cursor) {
		return toPage(scan(processor, store, null, null, prefix, limit, cursor, null, Scope.ROUTED));
	}

	/**
	 * Returns the windows of a key in a window store whose start lies in a time range,
	 * or the sessions of a key in a session store that overlap it.
	 * @param processor the processor name
	 * @param store the store name
	 * @param key the key
	 * @param from the start of the time range
	 * @param to the end of the time range
	 * @return the windows, with their start and end
	 */
	public WindowedValues windows(String processor, String store, Object key, Instant from, Instant to) {
		Map<String, String> parameters = Map.of("timeFrom", String.valueOf(from.toEpochMilli()), "timeTo",
				String.valueOf(to.toEpochMilli()));
		return toWindows(key(processor, store, key, parameters, null, Scope.ROUTED));
	}

	/**
	 * Returns the windows of every key of a window store whose start lies in a time
	 * range, in key order then window start.
	 * @param processor the processor name
	 * @param store the store name
	 * @param from the start of the time range
	 * @param to the end of the time range
	 * @param limit the most windows to return, or {@code null} for the default
	 * @return the windows
	 */
	public WindowedValues windows(String processor, String store, Instant from, Instant to, @Nullable Integer limit) {
		return toWindows(allWindows(processor, store, from, to, limit, null, Scope.ROUTED));
	}

	/**
	 * Returns every session of a key in a session store.
	 * @param processor the processor name
	 * @param store the store name
	 * @param key the key
	 * @return the sessions, with their start and end
	 */
	public WindowedValues sessions(String processor, String store, Object key) {
		return windows(processor, store, key, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE));
	}

	// ---- HTTP API: text parameters, JSON answers ------------------------------------

	/**
	 * Answers a query given as the text parameters of
	 * {@code GET /actuator/statestores/{processor}/{store}}.
	 * @param processor the processor name
	 * @param store the store name
	 * @param parameters the query parameters ({@code key}, {@code from}, {@code to},
	 * {@code prefix}, {@code limit}, {@code cursor}, {@code timeFrom}, {@code timeTo},
	 * {@code asOf}; {@code local}, {@code stale} and {@code partition} are set by
	 * forwarding instances)
	 * @param authorization the caller's {@code Authorization} header, passed on when
	 * forwarding
	 * @return the JSON answer
	 * @throws QueryException for anything that cannot be answered
	 */
	public Map<String, Object> query(String processor, String store, Map<String, String> parameters,
			@Nullable String authorization) {
		Scope scope = Boolean.parseBoolean(parameters.get("local")) ? Scope.LOCAL : Scope.ROUTED;
		String keyText = parameters.get("key");
		if (keyText != null) {
			requireStore(processor, store);
			QueryKeyType<Object> keyType = keyType(processor, store);
			Object key = parse(keyType, keyText, "key", processor, store);
			return key(processor, store, key, parameters, authorization, scope);
		}
		if (parameters.containsKey("timeFrom") || parameters.containsKey("timeTo")) {
			Instant from = time(parameters, "timeFrom", Instant.EPOCH);
			Instant to = time(parameters, "timeTo", Instant.ofEpochMilli(Long.MAX_VALUE));
			return allWindows(processor, store, from, to, limitParameter(parameters), authorization, scope);
		}
		requireStore(processor, store);
		QueryKeyType<Object> keyType = keyType(processor, store);
		Object from = (parameters.get("from") != null) ? parse(keyType, parameters.get("from"), "from", processor, store)
				: null;
		Object to = (parameters.get("to") != null) ? parse(keyType, parameters.get("to"), "to", processor, store)
				: null;
		return scan(processor, store, from, to, parameters.get("prefix"), limitParameter(parameters),
				parameters.get("cursor"), authorization, scope);
	}

	/**
	 * Describes every processor's stores: type, key and value types, and which instances
	 * hold which partitions.
	 * @return the JSON description
	 */
	public Map<String, Object> describe() {
		List<Map<String, Object>> described = new ArrayList<>();
		for (ManagedProcessor processor : this.processors.processors()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("name", processor.name());
			entry.put("state", processor.state().name());
			List<Map<String, Object>> stores = new ArrayList<>();
			for (String store : processor.storeNames()) {
				stores.add(describe(processor, store));
			}
			entry.put("stores", stores);
			described.add(entry);
		}
		return Map.of("processors", described);
	}

	// ---- key queries -----------------------------------------------------------------

	private Map<String, Object> key(String processor, String store, Object key, Map<String, String> parameters,
			@Nullable String authorization, Scope scope) {
		ManagedProcessor managed = requireStore(processor, store);
		QueryKeyType<Object> storeKeyType = keyType(processor, store);
		// A typed key from the Java API may come before the store's key type is known here.
		QueryKeyType<Object> keyType = storeKeyType.type().isInstance(key) ? storeKeyType
				: this.keyTypes.forKey(processor, store, key);
		if (!keyType.type().isInstance(key)) {
			throw new QueryException(400, "Key " + key + " of store '" + store + "' is a " + key.getClass().getName()
					+ ", but the store's keys are " + keyType.type().getName(), "keyTypes", List.of(keyType.name()));
		}
		String keyText = keyType.toText(key);
		Map<String, String> forwarded = new LinkedHashMap<>(parameters);
		forwarded.remove("local");
		forwarded.put("key", keyText);
		if (scope == Scope.LOCAL) {
			// Forwarded: only the key's partition answers, so an instance that no longer
			// holds it says 503 (ask again) rather than 404 (no such key).
			return unavailableIfStopped(managed, () -> answerLocally(managed, store, key, keyText,
					partitionParameter(parameters), parameters, Boolean.parseBoolean(parameters.get("stale"))));
		}
		return retrying(managed, () -> {
			KafkaStreams streams = streams(managed);
			HostInfo self = this.advertiser.advertised(processor);
			if (self == null) {
				// No application.server (no web server): this instance answers on its own.
				return answerLocally(managed, store, key, keyText, null, parameters, false);
			}
			KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, keyType.serializer());
			if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
				throw QueryException.unavailable("Processor '" + processor + "' is rebalancing: the owner of key '"
						+ keyText + "' in store '" + store + "' is not known yet");
			}
			HostInfo owner = metadata.activeHost();
			if (isUnavailable(owner) || owner.equals(self)) {
				return answerLocally(managed, store, key, keyText, metadata.partition(), parameters, false);
			}
			try {
				Map<String, String> toOwner = new LinkedHashMap<>(forwarded);
				toOwner.put("partition", String.valueOf(metadata.partition()));
				return this.remote.query(owner, processor, store, toOwner, authorization);
			}
			catch (QueryException ex) {
				if (ex.getStatus() != 503 || !this.settings.allowStale()) {
					throw ex;
				}
				return fromStandby(managed, store, key, keyText, metadata, self, forwarded, authorization, ex);
			}
		});
	}

	private Map<String, Object> fromStandby(ManagedProcessor processor, String store, Object key, String keyText,
			KeyQueryMetadata metadata, HostInfo self, Map<String, String> parameters, @Nullable String authorization,
			QueryException activeFailure) {
		for (HostInfo standby : metadata.standbyHosts()) {
			try {
				if (standby.equals(self)) {
					return answerLocally(processor, store, key, keyText, metadata.partition(), parameters, true);
				}
				Map<String, String> stale = new LinkedHashMap<>(parameters);
				stale.put("stale", "true");
				stale.put("partition", String.valueOf(metadata.partition()));
				return this.remote.query(standby, processor.name(), store, stale, authorization);
			}
			catch (QueryException ex) {
				// try the next standby
			}
		}
		throw activeFailure;
	}

	private Map<String, Object> answerLocally(ManagedProcessor processor, String store, Object key, String keyText,
			@Nullable Integer partition, Map<String, String> parameters, boolean stale) {
		KafkaStreams streams = streams(processor);
		StoreType type = storeType(processor, streams, store);
		String host = host(processor);
		if (stale) {
			requireFreshEnough(streams, store, partition);
		}
		else if (processor.isRestoring()) {
			throw QueryException.unavailable("Store '" + store + "' is restoring from its changelog");
		}
		try {
			if (type == StoreType.WINDOW || type == StoreType.SESSION) {
				Instant from = time(parameters, "timeFrom", Instant.EPOCH);
				Instant to = time(parameters, "timeTo", Instant.ofEpochMilli(Long.MAX_VALUE));
				List<WindowedValues.Window> windows = LocalStoreQueries.windowsOfKey(streams, store,
						subtopologies(processor, store), type, key, keyText, from, to, partition, host);
				return new WindowedValues(windows, windows.size(), false).toJson(processor.name(), store);
			}
			Instant asOf = parameters.containsKey("asOf") ? time(parameters, "asOf", null) : null;
			QueryResult result = LocalStoreQueries.get(streams, store, subtopologies(processor, store), type, key,
					keyText, partition, !stale, asOf, host, stale);
			if (result == null) {
				throw new QueryException(404, "No value for key '" + keyText + "' in store '" + store + "'");
			}
			return result.toJson(processor.name(), store);
		}
		catch (StreamsException ex) {
			throw QueryException.unavailable("Store '" + store + "' is not queryable right now: " + ex.getMessage());
		}
	}

	private void requireFreshEnough(KafkaStreams streams, String store, @Nullable Integer partition) {
		Map<Integer, LagInfo> lags = this.lags.computeIfAbsent(streams, (key) -> new CachedLags())
			.get(streams)
			.getOrDefault(store, Map.of());
		LagInfo lag = (partition != null) ? lags.get(partition) : null;
		if (lag == null || lag.offsetLag() > this.settings.maxStaleLag()) {
			throw QueryException.unavailable("The standby of store '" + store + "' here lags "
					+ ((lag != null) ? lag.offsetLag() + " records" : "an unknown amount")
					+ ", more than tributary.query.max-stale-lag (" + this.settings.maxStaleLag() + ")");
		}
	}

	// ---- scans -------------------------------------------------------------------------

	private Map<String, Object> scan(String processor, String store, @Nullable Object from, @Nullable Object to,
			@Nullable String prefix, @Nullable Integer requestedLimit, @Nullable String cursor,
			@Nullable String authorization, Scope scope) {
		ManagedProcessor managed = requireStore(processor, store);
		QueryKeyType<Object> keyType = keyType(processor, store);
		if (prefix != null && !QueryKeyType.STRING.name().equals(keyType.name())) {
			throw new QueryException(400, "prefix applies to stores with string keys; store '" + store
					+ "' has " + keyType.name() + " keys: use from and to", "parameters", List.of("from", "to"));
		}
		int limit = clamp(requestedLimit);
		Object after = (cursor != null) ? parse(keyType, decodeCursor(cursor), "cursor", processor, store) : null;
		byte[] afterBytes = (after != null) ? keyType.serializer().serialize(store, after) : null;
		Object lower = from;
		if (after != null && (from == null || KEY_ORDER.compare(afterBytes, keyType.serializer().serialize(store, from)) > 0)) {
			lower = after;
		}
		if (prefix != null && (lower == null || KEY_ORDER.compare(prefix.getBytes(StandardCharsets.UTF_8),
				keyType.serializer().serialize(store, lower)) > 0)) {
			lower = prefix;
		}
		byte[] prefixBytes = (prefix != null) ? prefix.getBytes(StandardCharsets.UTF_8) : null;
		Object lowerBound = lower;
		Map<String, String> forwarded = new LinkedHashMap<>();
		if (from != null) {
			forwarded.put("from", keyType.toText(from));
		}
		if (to != null) {
			forwarded.put("to", keyType.toText(to));
		}
		if (prefix != null) {
			forwarded.put("prefix", prefix);
		}
		if (cursor != null) {
			forwarded.put("cursor", cursor);
		}
		forwarded.put("limit", String.valueOf(limit));
		return retrying(managed, () -> {
			KafkaStreams streams = streams(managed);
			List<List<LocalStoreQueries.ScanEntry>> sources = new ArrayList<>();
			boolean more = false;
			for (HostInfo host : hosts(managed, streams, store, scope)) {
				if (host == null) {
					StoreType type = storeType(managed, streams, store);
					if (!type.isKeyValue()) {
						throw QueryException.badRequest("Store '" + store + "' is a " + type
								+ " store: give a key (and timeFrom/timeTo), or a time range for all keys");
					}
					if (managed.isRestoring()) {
						throw QueryException.unavailable("Store '" + store + "' is restoring from its changelog");
					}
					LocalStoreQueries.Scan scan = LocalStoreQueries.scan(streams, store, subtopologies(managed, store),
							type, lowerBound, to, afterBytes, prefixBytes, limit, keyType, host(managed));
					sources.add(scan.entries());
					more |= scan.more();
				}
				else {
					Map<String, Object> answer = this.remote.query(host, processor, store, forwarded, authorization);
					sources.add(remoteEntries(answer, keyType, store));
					more |= answer.get("nextCursor") != null;
				}
			}
			List<LocalStoreQueries.ScanEntry> merged = new ArrayList<>();
			sources.forEach(merged::addAll);
			merged.sort((a, b) -> KEY_ORDER.compare(a.keyBytes(), b.keyBytes()));
			if (merged.size() > limit) {
				more = true;
				merged = merged.subList(0, limit);
			}
			List<KeyValuePage.Entry> entries = merged.stream().map(LocalStoreQueries.ScanEntry::entry).toList();
			String next = (more && !entries.isEmpty()) ? encodeCursor(entries.get(entries.size() - 1).key()) : null;
			Map<String, Object> json = new KeyValuePage(entries, limit, requestedLimit != null
					&& requestedLimit > this.settings.maxLimit(), next).toJson(processor, store);
			json.put("keyType", keyType.name());
			return json;
		});
	}

	private Map<String, Object> allWindows(String processor, String store, Instant from, Instant to,
			@Nullable Integer requestedLimit, @Nullable String authorization, Scope scope) {
		ManagedProcessor managed = requireStore(processor, store);
		int limit = clamp(requestedLimit);
		Map<String, String> forwarded = Map.of("timeFrom", String.valueOf(from.toEpochMilli()), "timeTo",
				String.valueOf(to.toEpochMilli()), "limit", String.valueOf(limit));
		return retrying(managed, () -> {
			KafkaStreams streams = streams(managed);
			QueryKeyType<Object> keyType = keyType(processor, store);
			List<Map.Entry<byte[], WindowedValues.Window>> found = new ArrayList<>();
			boolean truncated = false;
			for (HostInfo host : hosts(managed, streams, store, scope)) {
				List<WindowedValues.Window> windows;
				if (host == null) {
					windows = LocalStoreQueries.windowsOfAllKeys(streams, store, subtopologies(managed, store),
							storeType(managed, streams, store), from, to, limit, keyType, host(managed));
				}
				else {
					Map<String, Object> answer = this.remote.query(host, processor, store, forwarded, authorization);
					windows = remoteWindows(answer);
					truncated |= Boolean.TRUE.equals(answer.get("truncated"));
				}
				for (WindowedValues.Window window : windows) {
					found.add(Map.entry(keyType.serializer().serialize(store, keyType.parse(window.key())), window));
				}
			}
			found.sort(Map.Entry.<byte[], WindowedValues.Window>comparingByKey(KEY_ORDER)
				.thenComparing((entry) -> entry.getValue().start()));
			truncated |= found.size() > limit;
			List<WindowedValues.Window> windows = found.stream().limit(limit).map(Map.Entry::getValue).toList();
			return new WindowedValues(windows, limit, truncated).toJson(processor, store);
		});
	}

	/**
	 * The instances to ask for a scan: {@code null} stands for this one. Asks the
	 * instances that hold the store according to Kafka Streams' metadata.
	 */
	private List<@Nullable HostInfo> hosts(ManagedProcessor processor, KafkaStreams streams, String store,
			Scope scope) {
		List<@Nullable HostInfo> hosts = new ArrayList<>();
		HostInfo self = this.advertiser.advertised(processor.name());
		if (scope == Scope.LOCAL || self == null) {
			hosts.add(null);
			return hosts;
		}
		Collection<StreamsMetadata> metadata = streams.streamsMetadataForStore(store);
		if (metadata.isEmpty()) {
			throw QueryException.unavailable("Processor '" + processor.name()
					+ "' is rebalancing: no instance holds store '" + store + "' yet");
		}
		boolean local = false;
		for (StreamsMetadata instance : metadata) {
			if (instance.hostInfo().equals(self) || isUnavailable(instance.hostInfo())) {
				local = true;
			}
			else if (!instance.topicPartitions().isEmpty()) {
				hosts.add(instance.hostInfo());
			}
		}
		if (local) {
			hosts.add(0, null);
		}
		return hosts;
	}

	// ---- describing stores ---------------------------------------------------------------

	private Map<String, Object> describe(ManagedProcessor processor, String store) {
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("name", store);
		KafkaStreams streams = processor.kafkaStreams().orElse(null);
		StoreType type = null;
		if (streams != null && processor.state() == KafkaStreams.State.RUNNING) {
			try {
				type = storeType(processor, streams, store);
			}
			catch (QueryException | StreamsException | IllegalStateException ex) {
				// not queryable here right now (or stopped since the state was read)
			}
		}
		described.put("type", (type != null) ? type.name() : null);
		if (this.keyTypes.isKnown(processor.name(), store) || type != null) {
			try {
				described.put("keyType", keyType(processor.name(), store).name());
			}
			catch (QueryException ex) {
				described.put("keyType", null);
			}
		}
		if (streams != null && type != null && type.isKeyValue()) {
			try {
				LocalStoreQueries.Scan sample = LocalStoreQueries.scan(streams, store, subtopologies(processor, store),
						type, null, null, null, null, 1, keyType(processor.name(), store), host(processor));
				sample.entries()
					.stream()
					.findFirst()
					.map((entry) -> entry.entry().value())
					.filter(Objects::nonNull)
					.ifPresent((value) -> described.put("valueType", value.getClass().getName()));
			}
			catch (RuntimeException ex) {
				// no sample: the value type stays unknown
			}
		}
		described.put("instances", instances(processor, streams, store));
		return described;
	}

	private List<Map<String, Object>> instances(ManagedProcessor processor, @Nullable KafkaStreams streams,
			String store) {
		List<Map<String, Object>> instances = new ArrayList<>();
		if (streams == null) {
			return instances;
		}
		Set<String> sourceTopics = sourceTopics(processor, store);
		HostInfo self = this.advertiser.advertised(processor.name());
		try {
			for (StreamsMetadata metadata : streams.streamsMetadataForStore(store)) {
				Map<String, Object> instance = new LinkedHashMap<>();
				instance.put("host", isUnavailable(metadata.hostInfo()) ? "local"
						: metadata.hostInfo().host() + ":" + metadata.hostInfo().port());
				instance.put("local", metadata.hostInfo().equals(self) || isUnavailable(metadata.hostInfo()));
				instance.put("activePartitions", partitions(metadata.topicPartitions(), sourceTopics, processor));
				instance.put("standbyPartitions",
						partitions(metadata.standbyTopicPartitions(), sourceTopics, processor));
				instances.add(instance);
			}
		}
		catch (StreamsException | IllegalStateException ex) {
			// Not running (Kafka Streams answers IllegalStateException once it is shutting
			// down or failed): no instances known.
		}
		return instances;
	}

	private static List<Integer> partitions(Set<TopicPartition> partitions, Set<String> sourceTopics,
			ManagedProcessor processor) {
		Set<Integer> numbers = new TreeSet<>();
		for (TopicPartition partition : partitions) {
			String topic = partition.topic();
			if (sourceTopics.contains(topic) || sourceTopics.contains(topic.replaceFirst(
					"^" + java.util.regex.Pattern.quote(processor.applicationId() + "-"), ""))) {
				numbers.add(partition.partition());
			}
		}
		return List.copyOf(numbers);
	}

	private static Set<String> sourceTopics(ManagedProcessor processor, String store) {
		Set<String> topics = new TreeSet<>();
		processor.topology().ifPresent((topology) -> {
			for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
				boolean hasStore = subtopology.nodes()
					.stream()
					.anyMatch((node) -> node instanceof TopologyDescription.Processor p && p.stores().contains(store));
				if (hasStore) {
					subtopology.nodes()
						.stream()
						.filter(TopologyDescription.Source.class::isInstance)
						.map((node) -> ((TopologyDescription.Source) node).topicSet())
						.filter(Objects::nonNull)
						.forEach(topics::addAll);
				}
			}
		});
		return topics;
	}

	/**
	 * The ids of the subtopologies that hold a store, to tell its standby tasks; empty if
	 * the topology is not known.
	 */
	private static Set<Integer> subtopologies(ManagedProcessor processor, String store) {
		Set<Integer> ids = new TreeSet<>();
		processor.topology().ifPresent((topology) -> {
			for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
				if (subtopology.nodes()
					.stream()
					.anyMatch((node) -> node instanceof TopologyDescription.Processor p && p.stores().contains(store))) {
					ids.add(subtopology.id());
				}
			}
		});
		return ids;
	}

	// ---- helpers -----------------------------------------------------------------------

	private ManagedProcessor requireStore(String processor, String store) {
		ManagedProcessor managed = this.processors.find(processor)
			.orElseThrow(() -> new QueryException(404, "No processor named '" + processor + "'", "processors",
					this.processors.names()));
		List<String> stores = managed.storeNames();
		if (!stores.contains(store)) {
			throw new QueryException(404, "Processor '" + processor + "' has no store named '" + store + "'",
					"stores", stores);
		}
		List<String> global = managed.globalStoreNames();
		if (global.contains(store)) {
			// Kafka Streams' interactive queries v2 do not serve global stores.
			throw new QueryException(400, "Store '" + store + "' of processor '" + processor
					+ "' is a global store, which this API cannot query; read it through KafkaStreams#store",
					"stores", stores.stream().filter((name) -> !global.contains(name)).toList());
		}
		return managed;
	}

	private static KafkaStreams streams(ManagedProcessor processor) {
		KafkaStreams streams = processor.kafkaStreams().orElse(null);
		if (streams == null || !processor.isStarted()) {
			throw QueryException.unavailable("Processor '" + processor.name() + "' is not running");
		}
		KafkaStreams.State state = streams.state();
		if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
			throw QueryException.unavailable("Processor '" + processor.name() + "' is " + state
					+ " and cannot answer queries yet");
		}
		return streams;
	}

	private StoreType storeType(ManagedProcessor processor, KafkaStreams streams, String store) {
		// A store's type never changes for a KafkaStreams instance: probe once per instance.
		Map<String, StoreType> known = this.storeTypes.computeIfAbsent(streams, (key) -> new ConcurrentHashMap<>());
		StoreType cached = known.get(store);
		if (cached != null) {
			return cached;
		}
		StoreType type = LocalStoreQueries.storeType(streams, store);
		if (type != null) {
			known.put(store, type);
		}
		if (type == null) {
			throw QueryException.unavailable("Store '" + store + "' of processor '" + processor.name()
					+ "' is not queryable here right now (starting, restoring or migrating)");
		}
		return type;
	}

	private QueryKeyType<Object> keyType(String processor, String store) {
		if (!this.keyTypes.isKnown(processor, store)) {
			ManagedProcessor managed = this.processors.get(processor);
			KafkaStreams streams = managed.kafkaStreams().orElse(null);
			if (streams != null && streams.state() == KafkaStreams.State.RUNNING) {
				try {
					StoreType type = storeType(managed, streams, store);
					return this.keyTypes.resolve(processor, store, LocalStoreQueries.firstKey(streams, store, type));
				}
				catch (StreamsException | QueryException | IllegalStateException ex) {
					// No copy of the store here (yet), active or standby, or the instance
					// stopped meanwhile: fall back rather than fail, so this instance still
					// forwards what others hold.
				}
			}
		}
		return this.keyTypes.resolve(processor, store, null);
	}

	private String host(ManagedProcessor processor) {
		HostInfo self = this.advertiser.advertised(processor.name());
		return (self != null) ? self.host() + ":" + self.port() : "local";
	}

	private static boolean isUnavailable(@Nullable HostInfo host) {
		return host == null || host.port() < 0 || HostInfo.unavailable().equals(host);
	}

	private Map<String, Object> retrying(ManagedProcessor processor, Supplier<Map<String, Object>> query) {
		long deadline = System.nanoTime() + this.settings.rebalanceTimeout().toNanos();
		while (true) {
			try {
				return unavailableIfStopped(processor, query);
			}
			catch (QueryException ex) {
				if (ex.getStatus() != 503 || System.nanoTime() > deadline) {
					throw ex;
				}
			}
			catch (StreamsException ex) {
				if (System.nanoTime() > deadline) {
					throw QueryException.unavailable("State store not queryable: " + ex.getMessage());
				}
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
		}
	}

	/**
	 * Runs one attempt of a query. Kafka Streams' metadata and store lookups throw
	 * {@code IllegalStateException} once an instance is shutting down, failed or closed:
	 * a query that raced a stop, restart or failure of the processor, which is worth
	 * asking again (503), not a server error. The same exception from an instance that
	 * is still running is a real error and is not hidden.
	 */
	private static <T> T unavailableIfStopped(ManagedProcessor processor, Supplier<T> query) {
		KafkaStreams before = processor.kafkaStreams().orElse(null);
		try {
			return query.get();
		}
		catch (IllegalStateException ex) {
			if (before != null && before.state().isRunningOrRebalancing()
					&& processor.kafkaStreams().orElse(null) == before) {
				throw ex;
			}
			throw QueryException.unavailable("Processor '" + processor.name()
					+ "' was stopped or restarted during the query (" + ex.getMessage() + "); ask again");
		}
	}

	private int clamp(@Nullable Integer limit) {
		if (limit == null) {
			return Math.min(this.settings.defaultLimit(), this.settings.maxLimit());
		}
		if (limit < 1) {
			throw QueryException.badRequest("limit must be at least 1, not " + limit);
		}
		return Math.min(limit, this.settings.maxLimit());
	}

	private static @Nullable Integer limitParameter(Map<String, String> parameters) {
		String limit = parameters.get("limit");
		if (limit == null) {
			return null;
		}
		try {
			return Integer.valueOf(limit);
		}
		catch (NumberFormatException ex) {
			throw QueryException.badRequest("limit must be a whole number, not '" + limit + "'");
		}
	}

	private static @Nullable Integer partitionParameter(Map<String, String> parameters) {
		String partition = parameters.get("partition");
		if (partition == null) {
			return null;
		}
		try {
			return Integer.valueOf(partition);
		}
		catch (NumberFormatException ex) {
			throw QueryException.badRequest("partition must be a whole number, not '" + partition + "'");
		}
	}

	private static Object parse(QueryKeyType<Object> keyType, String text, String parameter, String processor,
			String store) {
		try {
			return keyType.parse(text);
		}
		catch (RuntimeException ex) {
			throw QueryException.badRequest("'" + parameter + "' of store '" + store + "' must be " + keyType.format()
					+ " (key type " + keyType.name() + "), not '" + text + "'");
		}
	}

	static @Nullable Instant time(Map<String, String> parameters, String name, @Nullable Instant defaultValue) {
		String text = parameters.get(name);
		if (text == null || text.isEmpty()) {
			return defaultValue;
		}
		Instant instant;
		try {
			instant = text.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(text))
					: Instant.parse(text);
			// Kafka Streams counts in epoch milliseconds: the instant must fit in them.
			if (instant.toEpochMilli() >= 0) {
				return instant;
			}
		}
		catch (RuntimeException ex) {
			// Not an instant, or too far in the future for epoch milliseconds.
		}
		throw QueryException.badRequest("'" + name + "' must be an ISO-8601 instant such as "
				+ "2026-01-31T12:00:00Z or epoch milliseconds such as 1769860800000, between 1970-01-01T00:00:00Z "
				+ "and " + Instant.ofEpochMilli(Long.MAX_VALUE) + ", not '" + text + "'");
	}

	private static String encodeCursor(String key) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
	}

	private static String decodeCursor(String cursor) {
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw QueryException.badRequest("cursor must be the nextCursor of a previous page, not '" + cursor + "'");
		}
	}

	@SuppressWarnings("unchecked")
	private static List<LocalStoreQueries.ScanEntry> remoteEntries(Map<String, Object> answer,
			QueryKeyType<Object> keyType, String store) {
		List<LocalStoreQueries.ScanEntry> entries = new ArrayList<>();
		for (Map<String, Object> entry : (List<Map<String, Object>>) answer.getOrDefault("entries", List.of())) {
			String key = String.valueOf(entry.get("key"));
			Object timestamp = entry.get("timestamp");
			entries.add(new LocalStoreQueries.ScanEntry(keyType.serializer().serialize(store, keyType.parse(key)),
					new KeyValuePage.Entry(key, entry.get("value"),
							(timestamp instanceof Number number) ? number.longValue() : null,
							String.valueOf(entry.get("host")))));
		}
		return entries;
	}

	@SuppressWarnings("unchecked")
	private static List<WindowedValues.Window> remoteWindows(Map<String, Object> answer) {
		List<WindowedValues.Window> windows = new ArrayList<>();
		for (Map<String, Object> window : (List<Map<String, Object>>) answer.getOrDefault("windows", List.of())) {
			windows.add(new WindowedValues.Window(String.valueOf(window.get("key")),
					((Number) window.get("startMs")).longValue(), ((Number) window.get("endMs")).longValue(),
					window.get("value"), String.valueOf(window.get("host"))));
		}
		return windows;
	}

	private static QueryResult toResult(Map<String, Object> json) {
		return new QueryResult(String.valueOf(json.get("key")), json.get("value"), asLong(json.get("timestamp")),
				asLong(json.get("validTo")), String.valueOf(json.get("host")), Boolean.TRUE.equals(json.get("stale")));
	}

	@SuppressWarnings("unchecked")
	private static KeyValuePage toPage(Map<String, Object> json) {
		List<KeyValuePage.Entry> entries = new ArrayList<>();
		for (Map<String, Object> entry : (List<Map<String, Object>>) json.get("entries")) {
			entries.add(new KeyValuePage.Entry(String.valueOf(entry.get("key")), entry.get("value"),
					asLong(entry.get("timestamp")), String.valueOf(entry.get("host"))));
		}
		return new KeyValuePage(entries, ((Number) json.get("limit")).intValue(),
				Boolean.TRUE.equals(json.get("limitClamped")), (String) json.get("nextCursor"));
	}

	private static WindowedValues toWindows(Map<String, Object> json) {
		List<WindowedValues.Window> windows = remoteWindows(json);
		Object limit = json.get("limit");
		return new WindowedValues(windows, (limit instanceof Number number) ? number.intValue() : windows.size(),
				Boolean.TRUE.equals(json.get("truncated")));
	}

	private static @Nullable Long asLong(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : null;
	}

	private enum Scope {

		/** Route key queries to the owner; scatter scans to every instance. */
		ROUTED,

		/** Answer from this instance's stores only (a forwarded call). */
		LOCAL

	}

	/**
	 * An instance's standby lags, fetched at most once a second.
	 */
	private static final class CachedLags {

		private static final long MAX_AGE_NANOS = 1_000_000_000L;

		// Not the KafkaStreams itself: the weak map's values must not hold its keys.
		private Map<String, Map<Integer, LagInfo>> lags = Map.of();

		private long fetchedAt;

		private boolean fetched;

		synchronized Map<String, Map<Integer, LagInfo>> get(KafkaStreams streams) {
			if (!this.fetched || System.nanoTime() - this.fetchedAt > MAX_AGE_NANOS) {
				this.lags = streams.allLocalStorePartitionLags();
				this.fetchedAt = System.nanoTime();
				this.fetched = true;
			}
			return this.lags;
		}

	}

}
