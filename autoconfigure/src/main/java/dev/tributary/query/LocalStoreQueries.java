package dev.tributary.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StateStoreMigratedException;
import org.apache.kafka.streams.errors.StateStoreNotAvailableException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.TimestampedKeyQuery;
import org.apache.kafka.streams.query.TimestampedRangeQuery;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.VersionedRecord;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.jspecify.annotations.Nullable;

/**
 * Queries the state stores of this instance with Kafka Streams' interactive queries
 * (IQv2), one partition at a time so results can be merged in key order.
 */
final class LocalStoreQueries {

	private static final Comparator<byte[]> KEY_ORDER = Bytes.BYTES_LEXICO_COMPARATOR::compare;

	private LocalStoreQueries() {
	}

	/**
	 * The type of a local store, found by asking Kafka Streams which queryable store
	 * type accepts it; {@code null} while the store cannot be looked at (restoring,
	 * migrating, not assigned here). Standby copies count: the type is the same.
	 */
	static @Nullable StoreType storeType(KafkaStreams streams, String store) {
		// Store views are created lazily: only using one shows whether the type fits.
		Map<StoreType, Runnable> probes = new java.util.LinkedHashMap<>();
		probes.put(StoreType.TIMESTAMPED_KEY_VALUE, () -> streams
			.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.timestampedKeyValueStore())
				.enableStaleStores())
			.approximateNumEntries());
		probes.put(StoreType.KEY_VALUE, () -> streams
			.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()).enableStaleStores())
			.approximateNumEntries());
		probes.put(StoreType.WINDOW, () -> {
			try (KeyValueIterator<Windowed<Object>, Object> all = streams
				.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.windowStore())
					.enableStaleStores())
				.backwardAll()) {
				all.hasNext();
			}
		});
		probes.put(StoreType.SESSION, () -> {
			try (KeyValueIterator<Windowed<Object>, Object> all = streams
				.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.sessionStore())
					.enableStaleStores())
				.fetch(null, null)) {
				all.hasNext();
			}
		});
		boolean wrongTypeOnly = true;
		for (Map.Entry<StoreType, Runnable> probe : probes.entrySet()) {
			try {
				probe.getValue().run();
				return probe.getKey();
			}
			catch (InvalidStateStoreException ex) {
				wrongTypeOnly &= String.valueOf(ex.getMessage()).contains("does not accept the actual store type");
			}
		}
		// Versioned stores are the key-value stores that no classic store type accepts.
		return wrongTypeOnly ? StoreType.VERSIONED_KEY_VALUE : null;
	}

	/**
	 * The first key of a local store, to learn the store's key class. Standby copies
	 * count, so an instance without active partitions of the store can still learn it.
	 */
	static @Nullable Object firstKey(KafkaStreams streams, String store, StoreType type) {
		switch (type) {
			case WINDOW -> {
				ReadOnlyWindowStore<Object, Object> windows = streams
					.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.windowStore())
						.enableStaleStores());
				try (KeyValueIterator<Windowed<Object>, Object> all = windows.all()) {
					return all.hasNext() ? all.next().key.key() : null;
				}
			}
			case SESSION -> {
				ReadOnlySessionStore<Object, Object> sessions = streams
					.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.sessionStore())
						.enableStaleStores());
				try (KeyValueIterator<Windowed<Object>, Object> all = sessions.fetch(null, null)) {
					return all.hasNext() ? all.next().key.key() : null;
				}
			}
			case VERSIONED_KEY_VALUE -> {
				return null;
			}
			default -> {
				Object first = null;
				for (KeyValueIterator<Object, Object> iterator : iterators(streams, store, RangeQuery.withNoBounds(),
						null, false, Set.of())) {
					try (iterator) {
						if (first == null && iterator.hasNext()) {
							first = iterator.next().key;
						}
					}
				}
				return first;
			}
		}
	}

	/**
	 * Looks up one key, in the given partition (or all local ones). {@code subtopologies}
	 * are the ids of the store's subtopologies, to tell its standby tasks.
	 */
	static @Nullable QueryResult get(KafkaStreams streams, String store, Set<Integer> subtopologies, StoreType type,
			Object key, String keyText, @Nullable Integer partition, boolean requireActive, @Nullable Instant asOf,
			String host, boolean stale) {
		return switch (type) {
			case KEY_VALUE -> {
				Object value = first(streams, store, KeyQuery.withKey(key), partition, requireActive, subtopologies);
				yield (value != null) ? new QueryResult(keyText, value, null, null, host, stale) : null;
			}
			case TIMESTAMPED_KEY_VALUE -> {
				ValueAndTimestamp<Object> value = first(streams, store, TimestampedKeyQuery.withKey(key), partition,
						requireActive, subtopologies);
				yield (value != null) ? new QueryResult(keyText, value.value(), value.timestamp(), null, host, stale)
						: null;
			}
			case VERSIONED_KEY_VALUE -> {
				VersionedKeyQuery<Object, Object> query = VersionedKeyQuery.withKey(key);
				if (asOf != null) {
					query = query.asOf(asOf);
				}
				VersionedRecord<Object> value = first(streams, store, query, partition, requireActive, subtopologies);
				yield (value != null) ? new QueryResult(keyText, value.value(), value.timestamp(),
						value.validTo().orElse(null), host, stale) : null;
			}
			case WINDOW, SESSION -> throw QueryException.badRequest("Store '" + store + "' is a " + type
					+ " store: query it with key, timeFrom and timeTo");
		};
	}

	/**
	 * Scans the local active partitions of a key-value store from {@code lower}
	 * (inclusive) to {@code upper} (inclusive), merged in key order, skipping keys not
	 * after {@code after} and stopping at keys that no longer start with
	 * {@code prefix}; returns at most {@code limit} entries plus whether more follow.
	 */
	static Scan scan(KafkaStreams streams, String store, Set<Integer> subtopologies, StoreType type,
			@Nullable Object lower, @Nullable Object upper, byte @Nullable [] after, byte @Nullable [] prefix,
			int limit, QueryKeyType<Object> keyType, String host) {
		boolean timestamped = type == StoreType.TIMESTAMPED_KEY_VALUE;
		Query<? extends KeyValueIterator<Object, ?>> query = timestamped ? timestampedRange(lower, upper)
				: range(lower, upper);
		@SuppressWarnings("unchecked")
		List<KeyValueIterator<Object, Object>> iterators = (List<KeyValueIterator<Object, Object>>) (List<?>) iterators(
				streams, store, query, null, true, subtopologies);
		Serializer<Object> serializer = keyType.serializer();
		PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> KEY_ORDER.compare(a.keyBytes, b.keyBytes));
		List<ScanEntry> entries = new ArrayList<>();
		boolean more = false;
		try {
			for (KeyValueIterator<Object, Object> iterator : iterators) {
				advance(iterator, heads, serializer, store);
			}
			while (!heads.isEmpty()) {
				Head head = heads.poll();
				if (prefix != null && !startsWith(head.keyBytes, prefix)) {
					continue; // keys are in order: this partition has no more matches
				}
				if (after == null || KEY_ORDER.compare(head.keyBytes, after) > 0) {
					if (entries.size() == limit) {
						more = true;
						break;
					}
					Object value = head.entry.value;
					Long timestamp = null;
					if (value instanceof ValueAndTimestamp<?> withTimestamp) {
						value = withTimestamp.value();
						timestamp = withTimestamp.timestamp();
					}
					entries.add(new ScanEntry(head.keyBytes,
							new KeyValuePage.Entry(keyType.toText(head.entry.key), value, timestamp, host)));
				}
				advance(head.iterator, heads, serializer, store);
			}
		}
		finally {
			iterators.forEach(KeyValueIterator::close);
		}
		return new Scan(entries, more);
	}

	/**
	 * Fetches the windows (window store) or sessions (session store) of one key.
	 */
	static List<WindowedValues.Window> windowsOfKey(KafkaStreams streams, String store, Set<Integer> subtopologies,
			StoreType type, Object key, String keyText, Instant from, Instant to, @Nullable Integer partition,
			String host) {
		List<WindowedValues.Window> windows = new ArrayList<>();
		if (type == StoreType.WINDOW) {
			// IQv2's WindowKeyQuery gives window starts only; the classic store view gives
			// whole windows (start and end) for a key range of one key.
			StoreQueryParameters<ReadOnlyWindowStore<Object, Object>> parameters = StoreQueryParameters
				.fromNameAndType(store, QueryableStoreTypes.windowStore());
			if (partition != null) {
				parameters = parameters.withPartition(partition);
			}
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
		if (type != StoreType.SESSION) {
			throw QueryException.badRequest("Store '" + store + "' is a " + type
					+ " store: timeFrom and timeTo apply to window and session stores only");
		}
		for (KeyValueIterator<Windowed<Object>, Object> iterator : iterators(streams, store,
				WindowRangeQuery.<Object, Object>withKey(key), partition, true, subtopologies)) {
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
	 * Fetches the windows of every key of a window store whose start lies in the range,
	 * in key order then window start, at most {@code limit + 1} to tell if more exist.
	 */
	static List<WindowedValues.Window> windowsOfAllKeys(KafkaStreams streams, String store, Set<Integer> subtopologies,
			StoreType type, Instant from, Instant to, int limit, QueryKeyType<Object> keyType, String host) {
		if (type != StoreType.WINDOW) {
			throw QueryException.badRequest("Store '" + store + "' is a " + type
					+ " store: a time range without a key applies to window stores only; give a key");
		}
		Comparator<Map.Entry<byte[], WindowedValues.Window>> order = Map.Entry
			.<byte[], WindowedValues.Window>comparingByKey(KEY_ORDER)
			.thenComparing((entry) -> entry.getValue().start());
		// The first limit + 1 windows in order, kept in a bounded heap (largest on top), so
		// that a wide time range costs the page's memory, not the store's.
		PriorityQueue<Map.Entry<byte[], WindowedValues.Window>> firstWindows = new PriorityQueue<>(order.reversed());
		Serializer<Object> serializer = keyType.serializer();
		List<KeyValueIterator<Windowed<Object>, Object>> iterators = iterators(streams, store,
				WindowRangeQuery.<Object, Object>withWindowStartRange(from, to), null, true, subtopologies);
		try {
			for (KeyValueIterator<Windowed<Object>, Object> iterator : iterators) {
				while (iterator.hasNext()) {
					KeyValue<Windowed<Object>, Object> window = iterator.next();
					byte[] keyBytes = serializer.serialize(store, window.key.key());
					firstWindows.add(Map.entry(keyBytes, new WindowedValues.Window(keyType.toText(window.key.key()),
							window.key.window().start(), window.key.window().end(), window.value, host)));
					if (firstWindows.size() > limit + 1) {
						firstWindows.poll();
					}
				}
			}
		}
		finally {
			iterators.forEach(KeyValueIterator::close);
		}
		return firstWindows.stream().sorted(order).map(Map.Entry::getValue).toList();
	}

	private static <R> @Nullable R first(KafkaStreams streams, String store, Query<R> query,
			@Nullable Integer partition, boolean requireActive, Set<Integer> subtopologies) {
		StateQueryResult<R> result = streams.query(request(store, query, partition, requireActive));
		Set<Integer> standbys = null;
		for (Map.Entry<Integer, org.apache.kafka.streams.query.QueryResult<R>> partitionResult : result
			.getPartitionResults()
			.entrySet()) {
			org.apache.kafka.streams.query.QueryResult<R> answer = partitionResult.getValue();
			if (answer.isSuccess() && answer.getResult() != null) {
				return answer.getResult();
			}
			if (answer.isFailure()) {
				standbys = (standbys != null) ? standbys : standbyPartitions(streams, subtopologies);
				if (!isStandby(answer, partitionResult.getKey(), partition, requireActive, standbys)) {
					throw failure(store, answer);
				}
			}
		}
		return null;
	}

	private static <R> List<R> iterators(KafkaStreams streams, String store, Query<R> query,
			@Nullable Integer partition, boolean requireActive, Set<Integer> subtopologies) {
		StateQueryResult<R> result = streams.query(request(store, query, partition, requireActive));
		List<R> iterators = new ArrayList<>();
		QueryException failure = null;
		Set<Integer> standbys = null;
		for (Map.Entry<Integer, org.apache.kafka.streams.query.QueryResult<R>> partitionResult : result
			.getPartitionResults()
			.entrySet()) {
			org.apache.kafka.streams.query.QueryResult<R> answer = partitionResult.getValue();
			if (answer.isSuccess()) {
				iterators.add(answer.getResult());
			}
			else if (failure == null) {
				standbys = (standbys != null) ? standbys : standbyPartitions(streams, subtopologies);
				if (!isStandby(answer, partitionResult.getKey(), partition, requireActive, standbys)) {
					failure = failure(store, answer);
				}
			}
		}
		if (failure != null) {
			iterators.forEach(LocalStoreQueries::closeQuietly);
			throw failure;
		}
		return iterators;
	}

	/**
	 * Asked for the active partitions of all local ones, a standby partition answers
	 * NOT_ACTIVE: it is simply not part of the answer. An active partition answers
	 * NOT_ACTIVE too while its thread is not running (partitions assigned or revoked in
	 * a rebalance): leaving it out would give an incomplete answer, so only partitions
	 * that are standbys here are left out and the others fail the query (503, retried).
	 */
	static boolean isStandby(org.apache.kafka.streams.query.QueryResult<?> result, int resultPartition,
			@Nullable Integer partition, boolean requireActive, Set<Integer> standbyPartitions) {
		return requireActive && partition == null && result.getFailureReason() == FailureReason.NOT_ACTIVE
				&& standbyPartitions.contains(resultPartition);
	}

	/**
	 * The partitions of the store's standby tasks on this instance, from the tasks of the
	 * given subtopologies (of any subtopology if none is given).
	 */
	private static Set<Integer> standbyPartitions(KafkaStreams streams, Set<Integer> subtopologies) {
		Set<Integer> partitions = new HashSet<>();
		for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
			for (TaskMetadata task : thread.standbyTasks()) {
				if (subtopologies.isEmpty() || subtopologies.contains(task.taskId().subtopology())) {
					partitions.add(task.taskId().partition());
				}
			}
		}
		return partitions;
	}

	private static <R> StateQueryRequest<R> request(String store, Query<R> query, @Nullable Integer partition,
			boolean requireActive) {
		StateQueryRequest<R> request = StateQueryRequest.inStore(store).withQuery(query);
		if (partition != null) {
			request = request.withPartitions(Set.of(partition));
		}
		return requireActive ? request.requireActive() : request;
	}

	static QueryException failure(String store, org.apache.kafka.streams.query.QueryResult<?> result) {
		return switch (result.getFailureReason()) {
			case UNKNOWN_QUERY_TYPE -> QueryException
				.badRequest("Store '" + store + "' does not support this query: " + result.getFailureMessage());
			case NOT_ACTIVE, NOT_PRESENT, NOT_UP_TO_BOUND -> QueryException
				.unavailable("Store '" + store + "' is not queryable here right now (" + result.getFailureReason()
						+ "): " + result.getFailureMessage());
			case STORE_EXCEPTION -> isClosedStore(result.getFailureMessage()) ? QueryException
				.unavailable("Store '" + store + "' is not queryable here right now (closed, migrating): "
						+ exceptionLine(result.getFailureMessage()))
					: new QueryException(500, "Query of store '" + store + "' failed: " + result.getFailureMessage());
			default -> new QueryException(500,
					"Query of store '" + store + "' failed: " + result.getFailureMessage());
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

	private static String exceptionLine(String message) {
		return message.lines().filter((line) -> line.contains("Exception")).findFirst().orElse(message).strip();
	}

	private static Query<KeyValueIterator<Object, Object>> range(@Nullable Object lower, @Nullable Object upper) {
		if (lower == null && upper == null) {
			return RangeQuery.withNoBounds();
		}
		if (upper == null) {
			return RangeQuery.withLowerBound(lower);
		}
		if (lower == null) {
			return RangeQuery.withUpperBound(upper);
		}
		return RangeQuery.withRange(lower, upper);
	}

	private static Query<KeyValueIterator<Object, ValueAndTimestamp<Object>>> timestampedRange(@Nullable Object lower,
			@Nullable Object upper) {
		if (lower == null && upper == null) {
			return TimestampedRangeQuery.withNoBounds();
		}
		if (upper == null) {
			return TimestampedRangeQuery.withLowerBound(lower);
		}
		if (lower == null) {
			return TimestampedRangeQuery.withUpperBound(upper);
		}
		return TimestampedRangeQuery.withRange(lower, upper);
	}

	private static void advance(KeyValueIterator<Object, Object> iterator, PriorityQueue<Head> heads,
			Serializer<Object> serializer, String store) {
		if (iterator.hasNext()) {
			KeyValue<Object, Object> next = iterator.next();
			heads.add(new Head(iterator, next, serializer.serialize(store, next.key)));
		}
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

	private record Head(KeyValueIterator<Object, Object> iterator, KeyValue<Object, Object> entry, byte[] keyBytes) {

	}

	/**
	 * A page of a local scan.
	 */
	record Scan(List<ScanEntry> entries, boolean more) {

	}

	/**
	 * One scanned entry with its serialized key, for merging.
	 */
	record ScanEntry(byte[] keyBytes, KeyValuePage.Entry entry) {

	}

}
