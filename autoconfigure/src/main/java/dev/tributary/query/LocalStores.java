package dev.tributary.query;

import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StateStoreMigratedException;
import org.apache.kafka.streams.errors.StateStoreNotAvailableException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.VersionedRecord;
import org.jspecify.annotations.Nullable;

/**
 * Answers queries from this instance's copies of a store with Kafka Streams' interactive
 * queries, for the partitions it is told to answer for: a partition that is not
 * queryable here fails the whole answer (unavailable), it is never skipped. Whether the
 * store's type answers the query is checked before ({@link QueryChecks}).
 *
 * <p>Key-value stores are read through the classic store views
 * ({@code KafkaStreams.store}, one partition each), not IQv2: in Kafka Streams 4.2 an
 * IQv2 query of a RocksDB or in-memory key-value store takes the store's position lock
 * and then the store's own lock, while the stream thread's write takes them the other
 * way round (KAFKA-19629), so a query during writes could deadlock the stream thread for
 * good. Versioned, window and session stores take no such pair of locks and answer IQv2.
 */
final class LocalStores {

	// A store's type never changes for a KafkaStreams instance: probe once per instance,
	// and find it again without a lock (the instance is held weakly: a restart replaces it).
	private final Map<String, KnownType> types = new ConcurrentHashMap<>();

	/**
	 * The type of a local store.
	 * @throws QueryException unavailable while no copy of it here can be looked at
	 */
	StoreType type(KafkaStreams streams, String store) {
		StoreType type = typeIfKnown(streams, store);
		if (type == null) {
			throw QueryException.unavailable("Store '" + store
					+ "' is not queryable here right now (starting, restoring or migrating)");
		}
		return type;
	}

	/**
	 * The type of a local store, or {@code null} while no copy of it here can be looked at.
	 */
	@Nullable StoreType typeIfKnown(KafkaStreams streams, String store) {
		KnownType known = this.types.get(store);
		if (known != null && known.streams.get() == streams) {
			return known.type;
		}
		StoreType probed = StoreTypes.probe(streams, store);
		if (probed != null) {
			this.types.put(store, new KnownType(new WeakReference<>(streams), probed));
		}
		return probed;
	}

	/**
	 * The value of a key in its partition, or {@code null} if absent. {@code stale}: a
	 * standby copy may answer.
	 */
	@Nullable QueryResult get(KafkaStreams streams, StoreType type, String store, Object key, String keyText,
			@Nullable Instant asOf, int partition, boolean stale, String host) {
		return switch (type) {
			case KEY_VALUE -> {
				Object value = read(store, () -> keyValueStore(streams, store, QueryableStoreTypes.keyValueStore(),
						partition, stale).get(key));
				yield (value != null) ? new QueryResult(keyText, value, null, null, host, stale) : null;
			}
			case TIMESTAMPED_KEY_VALUE -> {
				ValueAndTimestamp<Object> value = read(store, () -> keyValueStore(streams, store,
						QueryableStoreTypes.<Object, Object>timestampedKeyValueStore(), partition, stale).get(key));
				yield (value != null) ? new QueryResult(keyText, value.value(), value.timestamp(), null, host, stale)
						: null;
			}
			case VERSIONED_KEY_VALUE -> {
				VersionedKeyQuery<Object, Object> query = VersionedKeyQuery.withKey(key);
				if (asOf != null) {
					query = query.asOf(asOf);
				}
				VersionedRecord<Object> value = one(streams, store, query, partition, stale);
				yield (value != null) ? new QueryResult(keyText, value.value(), value.timestamp(),
						value.validTo().orElse(null), host, stale) : null;
			}
			// Checked before (QueryChecks); a key alone on these stores is a window fetch.
			case WINDOW, SESSION -> throw new IllegalArgumentException("not a key-value store: " + type);
		};
	}

	/**
	 * The windows (window store: that start in the range) or sessions (session store:
	 * that overlap it) of one key, from its partition.
	 */
	List<WindowedValues.Window> windowsOfKey(KafkaStreams streams, StoreType type, String store, Object key,
			String keyText, Instant from, Instant to, int partition, String host) {
		List<WindowedValues.Window> windows = new ArrayList<>();
		if (type == StoreType.WINDOW) {
			// IQv2's WindowKeyQuery gives window starts only; the classic store view gives
			// whole windows (start and end) for a key range of one key.
			StoreQueryParameters<ReadOnlyWindowStore<Object, Object>> parameters = StoreQueryParameters
				.fromNameAndType(store, QueryableStoreTypes.<Object, Object>windowStore())
				.withPartition(partition);
			try (KeyValueIterator<Windowed<Object>, Object> iterator = streams.store(parameters)
				.fetch(key, key, from, to)) {
				while (iterator.hasNext()) {
					KeyValue<Windowed<Object>, Object> window = iterator.next();
					windows.add(new WindowedValues.Window(keyText, window.key.window().start(),
							window.key.window().end(), window.value, host));
				}
			}
			catch (InvalidStateStoreException ex) {
				throw QueryException.unavailable("Store '" + store + "' is not queryable here right now: "
						+ ex.getMessage());
			}
			return windows;
		}
		for (KeyValueIterator<Windowed<Object>, Object> iterator : iterators(streams, store,
				WindowRangeQuery.<Object, Object>withKey(key), Set.of(partition)).values()) {
			try (iterator) {
				while (iterator.hasNext()) {
					KeyValue<Windowed<Object>, Object> session = iterator.next();
					long start = session.key.window().start();
					long end = session.key.window().end();
					if (end >= from.toEpochMilli() && start <= to.toEpochMilli()) {
						windows.add(new WindowedValues.Window(keyText, start, end, session.value, host));
					}
				}
			}
		}
		return windows;
	}

	/**
	 * The first {@code limit} keys of the given partitions from {@code lower} to
	 * {@code upper} (inclusive, {@code null} for open) that come after {@code after} and
	 * start with {@code prefix}, merged in the key type's order, and whether more follow.
	 */
	Part<KeyValuePage.Entry> scan(KafkaStreams streams, StoreType type, String store, KeyOrder order,
			QueryKeyType<Object> keyType, @Nullable Object lower, @Nullable Object upper, @Nullable Object after,
			byte @Nullable [] prefix, Set<Integer> partitions, int limit, String host) {
		if (partitions.isEmpty()) {
			return new Part<>(List.of(), false);
		}
		Object from = lower;
		if (after != null && (from == null || order.compare(after, from) >= 0)) {
			from = after;
		}
		// Per partition, its segments one after the other: each partition's keys in order.
		Map<Integer, List<KeyValueIterator<Object, Object>>> byPartition = new LinkedHashMap<>();
		List<KeyValueIterator<Object, Object>> opened = new ArrayList<>();
		try {
			Map<Integer, ReadOnlyKeyValueStore<Object, ?>> views = new LinkedHashMap<>();
			for (int partition : partitions) {
				views.put(partition, read(store, () -> keyValueStore(streams, store,
						(type == StoreType.TIMESTAMPED_KEY_VALUE) ? QueryableStoreTypes.timestampedKeyValueStore()
								: QueryableStoreTypes.keyValueStore(),
						partition, false)));
			}
			for (KeyOrder.Segment segment : order.segments(from, upper)) {
				for (Map.Entry<Integer, ReadOnlyKeyValueStore<Object, ?>> view : views.entrySet()) {
					@SuppressWarnings("unchecked")
					KeyValueIterator<Object, Object> iterator = (KeyValueIterator<Object, Object>) read(store,
							() -> range(view.getValue(), segment.from(), segment.to()));
					opened.add(iterator);
					byPartition.computeIfAbsent(view.getKey(), (key) -> new ArrayList<>()).add(iterator);
				}
			}
			PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> order.compare(a.entry.key, b.entry.key));
			for (List<KeyValueIterator<Object, Object>> chain : byPartition.values()) {
				Head head = new Head(chain);
				if (head.advance()) {
					heads.add(head);
				}
			}
			List<Keyed<KeyValuePage.Entry>> entries = new ArrayList<>();
			while (!heads.isEmpty()) {
				Head head = heads.poll();
				Object key = head.entry.key;
				if (prefix != null && !startsWith(order.bytes(key), prefix)) {
					continue; // keys are in order: this partition has no more matches
				}
				if (after == null || order.compare(key, after) > 0) {
					if (entries.size() == limit) {
						return new Part<>(entries, true);
					}
					Object value = head.entry.value;
					Long timestamp = null;
					if (value instanceof ValueAndTimestamp<?> withTimestamp) {
						value = withTimestamp.value();
						timestamp = withTimestamp.timestamp();
					}
					entries.add(new Keyed<>(key, 0,
							new KeyValuePage.Entry(keyType.toText(key), value, timestamp, host)));
				}
				if (head.advance()) {
					heads.add(head);
				}
			}
			return new Part<>(entries, false);
		}
		finally {
			opened.forEach(LocalStores::closeQuietly);
		}
	}

	/**
	 * The first {@code limit} windows of the given partitions that start in the range and
	 * come after the cursor, in key order then window start, and whether more follow.
	 */
	Part<WindowedValues.Window> windowScan(KafkaStreams streams, StoreType type, String store, KeyOrder order,
			QueryKeyType<Object> keyType, Instant from, Instant to, Cursors.@Nullable WindowPosition after,
			Set<Integer> partitions, int limit, String host) {
		if (partitions.isEmpty()) {
			return new Part<>(List.of(), false);
		}
		Comparator<Keyed<WindowedValues.Window>> windowOrder = Cursors.windowOrder(order);
		// The first limit + 1 windows in order, in a bounded heap (largest on top), so that a
		// wide time range costs the page's memory, not the store's.
		PriorityQueue<Keyed<WindowedValues.Window>> first = new PriorityQueue<>(windowOrder.reversed());
		Map<Integer, KeyValueIterator<Windowed<Object>, Object>> iterators = iterators(streams, store,
				WindowRangeQuery.<Object, Object>withWindowStartRange(from, to), partitions);
		try {
			for (KeyValueIterator<Windowed<Object>, Object> iterator : iterators.values()) {
				while (iterator.hasNext()) {
					KeyValue<Windowed<Object>, Object> window = iterator.next();
					Object key = window.key.key();
					long start = window.key.window().start();
					if (after != null && Cursors.compare(order, key, start, after) <= 0) {
						continue;
					}
					Object value = window.value;
					if (value instanceof ValueAndTimestamp<?> withTimestamp) {
						value = withTimestamp.value();
					}
					first.add(new Keyed<>(key, start, new WindowedValues.Window(keyType.toText(key), start,
							window.key.window().end(), value, host)));
					if (first.size() > limit + 1) {
						first.poll();
					}
				}
			}
		}
		finally {
			iterators.values().forEach(LocalStores::closeQuietly);
		}
		List<Keyed<WindowedValues.Window>> sorted = new ArrayList<>(first);
		sorted.sort(windowOrder);
		boolean more = sorted.size() > limit;
		return new Part<>(more ? sorted.subList(0, limit) : sorted, more);
	}

	/**
	 * The answer of one partition to an IQv2 query ({@code stale}: a standby may answer).
	 */
	private static <R> @Nullable R one(KafkaStreams streams, String store, Query<R> query, int partition,
			boolean stale) {
		StateQueryRequest<R> request = StateQueryRequest.inStore(store).withQuery(query).withPartitions(Set.of(partition));
		StateQueryResult<R> result = streams.query(stale ? request : request.requireActive());
		org.apache.kafka.streams.query.QueryResult<R> answer = result.getPartitionResults().get(partition);
		if (answer == null) {
			throw QueryException.unavailable("Partition " + partition + " of store '" + store
					+ "' is not held here right now (rebalancing)");
		}
		if (answer.isFailure()) {
			throw failure(store, answer);
		}
		return answer.getResult();
	}

	/**
	 * The classic view of one partition of a key-value store: only an active copy unless
	 * {@code stale}.
	 */
	private static <T> T keyValueStore(KafkaStreams streams, String store, QueryableStoreType<T> type, int partition,
			boolean stale) {
		StoreQueryParameters<T> parameters = StoreQueryParameters.fromNameAndType(store, type).withPartition(partition);
		return streams.store(stale ? parameters.enableStaleStores() : parameters);
	}

	/**
	 * Reads from a store view; the view failing because its partition is not (or no
	 * longer) queryable here is an unavailable store.
	 */
	private static <R> R read(String store, java.util.function.Supplier<R> read) {
		try {
			return read.get();
		}
		catch (InvalidStateStoreException ex) {
			throw QueryException.unavailable("Store '" + store + "' is not queryable here right now (starting, "
					+ "restoring, rebalancing or migrating): " + firstLine(ex.getMessage()));
		}
	}

	private static KeyValueIterator<Object, ?> range(ReadOnlyKeyValueStore<Object, ?> view, @Nullable Object lower,
			@Nullable Object upper) {
		return (lower == null && upper == null) ? view.all() : view.range(lower, upper);
	}

	/**
	 * One iterator per requested partition; any partition that cannot answer fails the
	 * whole request (and closes what was opened).
	 */
	private static <R> Map<Integer, R> iterators(KafkaStreams streams, String store, Query<R> query,
			Set<Integer> partitions) {
		StateQueryResult<R> result = streams
			.query(StateQueryRequest.inStore(store).withQuery(query).withPartitions(partitions).requireActive());
		Map<Integer, R> iterators = new LinkedHashMap<>();
		QueryException failure = null;
		for (Map.Entry<Integer, org.apache.kafka.streams.query.QueryResult<R>> partitionResult : result
			.getPartitionResults()
			.entrySet()) {
			org.apache.kafka.streams.query.QueryResult<R> answer = partitionResult.getValue();
			if (answer.isSuccess()) {
				iterators.put(partitionResult.getKey(), answer.getResult());
			}
			else if (failure == null) {
				failure = failure(store, answer);
			}
		}
		if (failure == null && !iterators.keySet().containsAll(partitions)) {
			failure = QueryException.unavailable("Partitions " + partitions + " of store '" + store
					+ "' are not all held here right now (rebalancing)");
		}
		if (failure != null) {
			iterators.values().forEach(LocalStores::closeQuietly);
			throw failure;
		}
		return iterators;
	}

	static QueryException failure(String store, org.apache.kafka.streams.query.QueryResult<?> result) {
		return switch (result.getFailureReason()) {
			case UNKNOWN_QUERY_TYPE -> QueryException
				.badRequest("Store '" + store + "' does not answer this query: " + result.getFailureMessage());
			case NOT_ACTIVE, NOT_PRESENT, NOT_UP_TO_BOUND -> QueryException
				.unavailable("Store '" + store + "' is not queryable here right now (" + result.getFailureReason()
						+ "): " + firstLine(result.getFailureMessage()));
			case STORE_EXCEPTION -> isClosedStore(result.getFailureMessage()) ? QueryException
				.unavailable("Store '" + store + "' is not queryable here right now (closed, migrating): "
						+ exceptionLine(result.getFailureMessage()))
					: new QueryException(QueryException.Reason.FAILED,
							"Query of store '" + store + "' failed: " + exceptionLine(result.getFailureMessage()));
			default -> new QueryException(QueryException.Reason.FAILED,
					"Query of store '" + store + "' failed: " + exceptionLine(result.getFailureMessage()));
		};
	}

	/**
	 * Whether a store failed because it was closed under the query, as when its task
	 * migrates to another instance: the message is the store's stack trace.
	 */
	private static boolean isClosedStore(@Nullable String message) {
		return message != null && (message.contains(InvalidStateStoreException.class.getName())
				|| message.contains(StateStoreMigratedException.class.getName())
				|| message.contains(StateStoreNotAvailableException.class.getName())
				|| message.contains("is currently closed"));
	}

	private static String exceptionLine(@Nullable String message) {
		if (message == null) {
			return "";
		}
		return message.lines().filter((line) -> line.contains("Exception")).findFirst().orElse(firstLine(message)).strip();
	}

	private static String firstLine(@Nullable String message) {
		return (message == null) ? "" : message.lines().findFirst().orElse("").strip();
	}

	private static boolean startsWith(byte[] bytes, byte[] prefix) {
		if (bytes.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (bytes[i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static void closeQuietly(Object iterator) {
		if (iterator instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// nothing more to do
			}
		}
	}

	private record KnownType(WeakReference<KafkaStreams> streams, StoreType type) {

	}

	/**
	 * A partition's iterators, one per segment, read one after the other.
	 */
	private static final class Head {

		private final List<KeyValueIterator<Object, Object>> chain;

		private int current;

		private KeyValue<Object, Object> entry;

		Head(List<KeyValueIterator<Object, Object>> chain) {
			this.chain = chain;
		}

		boolean advance() {
			while (this.current < this.chain.size()) {
				KeyValueIterator<Object, Object> iterator = this.chain.get(this.current);
				if (iterator.hasNext()) {
					this.entry = iterator.next();
					return true;
				}
				this.current++;
			}
			return false;
		}

	}

	/**
	 * An answer item with its typed key (and window start), for merging and cursors.
	 *
	 * @param <T> the item type
	 * @param key the typed key
	 * @param start the window start, 0 for key-value entries
	 * @param item the item
	 */
	record Keyed<T>(Object key, long start, T item) {

	}

	/**
	 * One instance's part of a scan.
	 *
	 * @param <T> the item type
	 * @param items at most the page size, in order
	 * @param more whether more items follow in this part
	 */
	record Part<T>(List<Keyed<T>> items, boolean more) {

	}

}
