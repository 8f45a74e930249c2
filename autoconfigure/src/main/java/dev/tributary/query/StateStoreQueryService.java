package dev.tributary.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Queries the state stores of the application's processors from any instance: a key
 * lookup is answered by the instance that holds the key's partition (here, or through
 * one call to that instance), a scan by every instance for the partitions it holds,
 * merged in the key type's order a page at a time.
 *
 * <p>Every instance reads a query the same way: keys are in the store's key type (from
 * configuration, see {@link QueryKeyType}), checked before anything is routed. Local
 * reads use Kafka Streams' interactive queries (IQv2), active copies only unless stale
 * reads are allowed. While a rebalance settles a query is tried again a few times within
 * {@code tributary.query.rebalance-timeout}, then fails as
 * {@link QueryException.Reason#UNAVAILABLE}; it never hangs, and a scan never skips a
 * partition it could not read.
 */
public class StateStoreQueryService implements AutoCloseable {

	private final StoreCatalog catalog;

	private final Instances instances;

	private final LocalStores local;

	private final KeyQueries keys;

	private final ScanQueries scans;

	private final Peers peers;

	/**
	 * What the service needs to know from the configuration.
	 *
	 * @param defaultLimit page size when none is asked for
	 * @param maxLimit the largest page size
	 * @param rebalanceTimeout how long to keep trying while a rebalance settles
	 * @param allowStale whether standbys may answer key queries
	 * @param maxStaleLag how far a standby may lag to answer
	 */
	public record Settings(int defaultLimit, int maxLimit, Duration rebalanceTimeout, boolean allowStale,
			long maxStaleLag) {

	}

	StateStoreQueryService(StoreCatalog catalog, Instances instances, Peers peers, Settings settings) {
		this.catalog = catalog;
		this.instances = instances;
		this.local = new LocalStores();
		this.peers = peers;
		this.keys = new KeyQueries(instances, this.local, peers, settings.rebalanceTimeout(), settings.allowStale(),
				settings.maxStaleLag());
		this.scans = new ScanQueries(instances, this.local, peers, settings.rebalanceTimeout(),
				settings.defaultLimit(), settings.maxLimit());
	}

	// ---- Java API -------------------------------------------------------------------

	/**
	 * Answers any query of a store.
	 * @param processor the processor name
	 * @param store the store name
	 * @param query the query
	 * @return a {@link QueryResult}, {@link KeyValuePage} or {@link WindowedValues},
	 * depending on the query
	 * @throws QueryException with the reason it cannot be answered
	 */
	public StoreAnswer query(String processor, String store, StoreQuery query) {
		StoreCatalog.Store found = this.catalog.store(processor, store);
		if (query instanceof StoreQuery.KeyLookup lookup) {
			return this.keys.route(found, query, checkKey(found, lookup.key()));
		}
		if (query instanceof StoreQuery.WindowFetch fetch) {
			checkTimes(fetch.from(), fetch.to());
			return this.keys.route(found, query, checkKey(found, fetch.key()));
		}
		if (query instanceof StoreQuery.KeyRange range) {
			if (range.from() != null) {
				checkKey(found, range.from());
			}
			if (range.to() != null) {
				checkKey(found, range.to());
			}
		}
		if (query instanceof StoreQuery.WindowScan scan) {
			checkTimes(scan.from(), scan.to());
		}
		return this.scans.scan(found, query);
	}

	/**
	 * Looks up a key of a key-value store (plain, timestamped or versioned: its current
	 * value).
	 * @param processor the processor name
	 * @param store the store name
	 * @param key the key, in the store's key type
	 * @return the value and the instance that answered
	 * @throws QueryException not found if the key is absent; see the class description
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
		StoreAnswer answer = query(processor, store, new StoreQuery.KeyLookup(key, asOf));
		if (!(answer instanceof QueryResult result)) {
			throw QueryException.badRequest("Store '" + store + "' of processor '" + processor
					+ "' is a window or session store: read it with windows(...) or sessions(...)");
		}
		return result;
	}

	/**
	 * Returns the keys of a key-value store from {@code from} to {@code to} (inclusive;
	 * either may be {@code null} for open), in the key type's order across all instances.
	 * @param processor the processor name
	 * @param store the store name
	 * @param from the first key, or {@code null}
	 * @param to the last key, or {@code null}
	 * @param limit the page size, or {@code null} for the default; lowered to the maximum
	 * @param cursor the {@code nextCursor} of the previous page, or {@code null}
	 * @return one page
	 */
	public KeyValuePage range(String processor, String store, @Nullable Object from, @Nullable Object to,
			@Nullable Integer limit, @Nullable String cursor) {
		return (KeyValuePage) query(processor, store,
				new StoreQuery.KeyRange(from, to, new StoreQuery.Page(limit, cursor)));
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
		return (KeyValuePage) query(processor, store,
				new StoreQuery.PrefixScan(prefix, new StoreQuery.Page(limit, cursor)));
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
		return (WindowedValues) query(processor, store, new StoreQuery.WindowFetch(key, from, to));
	}

	/**
	 * Returns the windows of every key of a window store whose start lies in a time
	 * range, in key order then window start, a page at a time.
	 * @param processor the processor name
	 * @param store the store name
	 * @param from the start of the time range
	 * @param to the end of the time range
	 * @param limit the most windows to return, or {@code null} for the default
	 * @param cursor the {@code nextCursor} of the previous page, or {@code null}
	 * @return the windows
	 */
	public WindowedValues windows(String processor, String store, Instant from, Instant to, @Nullable Integer limit,
			@Nullable String cursor) {
		return (WindowedValues) query(processor, store,
				new StoreQuery.WindowScan(from, to, new StoreQuery.Page(limit, cursor)));
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

	/**
	 * The key type of a store, as every instance resolves it.
	 * @param processor the processor name
	 * @param store the store name
	 * @return the key type
	 * @throws QueryException as {@link #query} for an unknown processor or store, or one
	 * that is not running
	 */
	public QueryKeyType<Object> keyType(String processor, String store) {
		return this.catalog.store(processor, store).keyType();
	}

	/**
	 * Describes every processor's stores: type, key type, and which instances hold which
	 * partitions.
	 * @return one entry per processor
	 */
	public List<ProcessorStores> describe() {
		List<ProcessorStores> described = new ArrayList<>();
		for (ManagedProcessor processor : this.catalog.processors()) {
			List<StoreDescription> stores = new ArrayList<>();
			for (String store : processor.storeNames()) {
				stores.add(describe(processor, store));
			}
			described.add(new ProcessorStores(processor.name(), processor.state().name(), stores));
		}
		return described;
	}

	/**
	 * Closes the clients the service opened (an admin client per processor that was
	 * scanned, to count partitions).
	 */
	@Override
	public void close() {
		this.instances.close();
	}

	// ---- answering other instances ------------------------------------------------------

	/**
	 * Answers a query another instance forwarded (its peer request body), from this
	 * instance's copies only, for the partitions it names.
	 * @param body the request body
	 * @return the HTTP status and JSON body of the answer
	 */
	PeerChannel.Reply answerPeer(byte[] body) {
		PeerMessages messages = this.peers.messages();
		try {
			PeerMessages.PeerRequest request = messages.decodeRequest(body,
					(processor, store) -> this.catalog.keyType(this.catalog.processor(processor), store).type());
			StoreCatalog.Store store = this.catalog.store(request.processor(), request.store());
			ManagedProcessor processor = store.processor();
			return Attempts.unavailableIfStopped(processor, () -> {
				KafkaStreams streams = Instances.running(processor);
				StoreQuery query = request.query();
				if (query instanceof StoreQuery.KeyLookup || query instanceof StoreQuery.WindowFetch) {
					if (request.partitions().size() != 1) {
						throw QueryException.badRequest("A forwarded key query names one partition");
					}
					StoreAnswer answer = this.keys.answer(store, streams, query, request.partitions().iterator().next(),
							request.stale());
					return new PeerChannel.Reply(200, (answer instanceof QueryResult result)
							? messages.encodeValue(result) : messages.encodeWindows(((WindowedValues) answer).windows()));
				}
				LocalStores.Part<?> part = this.scans.answer(store, streams, query, request.partitions());
				@SuppressWarnings("unchecked")
				byte[] encoded = (query instanceof StoreQuery.WindowScan)
						? messages.encodeWindowPart((LocalStores.Part<WindowedValues.Window>) part)
						: messages.encodeEntries((LocalStores.Part<KeyValuePage.Entry>) part);
				return new PeerChannel.Reply(200, encoded);
			});
		}
		catch (QueryException ex) {
			return new PeerChannel.Reply(status(ex.getReason()), messages.encodeFailure(ex));
		}
		catch (StreamsException ex) {
			QueryException unavailable = QueryException.unavailable("State store not queryable right now: "
					+ ex.getMessage());
			return new PeerChannel.Reply(503, messages.encodeFailure(unavailable));
		}
	}

	/**
	 * The HTTP status of a failure reason.
	 * @param reason the reason
	 * @return the status
	 */
	public static int status(QueryException.Reason reason) {
		return switch (reason) {
			case NOT_FOUND -> 404;
			case BAD_REQUEST -> 400;
			case UNAVAILABLE -> 503;
			case BAD_PEER_ANSWER -> 502;
			case FAILED -> 500;
		};
	}

	// ---- helpers ---------------------------------------------------------------------------

	private static Object checkKey(StoreCatalog.Store store, Object key) {
		if (!store.keyType().type().isInstance(key)) {
			throw QueryException.badRequest("Key " + key + " of store '" + store.name() + "' is a "
					+ key.getClass().getName() + ", but the store's keys are " + store.keyType().type().getName()
					+ " (key type " + store.keyType().name() + ", from " + store.keyTypeSource() + ")", "keyTypes",
					List.of(store.keyType().name()));
		}
		return key;
	}

	private static void checkTimes(Instant from, Instant to) {
		if (from.isAfter(to)) {
			throw QueryException.badRequest("timeFrom (" + from + ") is after timeTo (" + to + "): nothing can match",
					"parameters", List.of("timeFrom", "timeTo"));
		}
	}

	private StoreDescription describe(ManagedProcessor processor, String store) {
		KafkaStreams streams = processor.kafkaStreams().orElse(null);
		StoreType type = null;
		if (streams != null && processor.isStarted() && processor.state() == KafkaStreams.State.RUNNING) {
			try {
				type = this.local.typeIfKnown(streams, store);
			}
			catch (StreamsException | IllegalStateException ex) {
				// not queryable here right now (or stopped since the state was read)
			}
		}
		boolean global = processor.globalStoreNames().contains(store);
		KeyTypes.Resolved keyType = null;
		try {
			keyType = this.catalog.keyType(processor, store);
		}
		catch (QueryException ex) {
			// an unknown configured type: shown as null
		}
		return new StoreDescription(store, type, global, (keyType != null) ? keyType.type().name() : null,
				(keyType != null) ? keyType.source() : null, global ? List.of() : instances(processor, streams, store));
	}

	private List<StoreDescription.Instance> instances(ManagedProcessor processor, @Nullable KafkaStreams streams,
			String store) {
		List<StoreDescription.Instance> instances = new ArrayList<>();
		if (streams == null || !processor.isStarted()) {
			return instances;
		}
		HostInfo self = this.instances.self(processor);
		try {
			StoreCatalog.Store found = this.catalog.store(processor.name(), store);
			Set<String> topics = new TreeSet<>();
			found.sourceTopics().forEach((topic) -> {
				topics.add(topic);
				topics.add(processor.applicationId() + "-" + topic);
			});
			for (StreamsMetadata metadata : streams.streamsMetadataForStore(store)) {
				boolean unknown = Instances.isUnknown(metadata.hostInfo());
				instances.add(new StoreDescription.Instance(
						unknown ? "local" : metadata.hostInfo().host() + ":" + metadata.hostInfo().port(),
						metadata.hostInfo().equals(self) || unknown, partitions(metadata.topicPartitions(), topics),
						partitions(metadata.standbyTopicPartitions(), topics)));
			}
		}
		catch (QueryException | StreamsException | IllegalStateException ex) {
			// Not running (Kafka Streams answers IllegalStateException once it is shutting
			// down or failed): no instances known.
		}
		return instances;
	}

	private static List<Integer> partitions(Set<TopicPartition> partitions, Set<String> topics) {
		Set<Integer> numbers = new TreeSet<>();
		for (TopicPartition partition : partitions) {
			if (topics.contains(partition.topic())) {
				numbers.add(partition.partition());
			}
		}
		return List.copyOf(numbers);
	}

}
