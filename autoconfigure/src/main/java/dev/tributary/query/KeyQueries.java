package dev.tributary.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Key lookups and window fetches: answered here when this instance holds the key's
 * partition, else by one call to the instance that does, or, when stale reads are
 * allowed and the owner cannot answer, by a standby within the allowed lag.
 */
final class KeyQueries {

	private final Instances instances;

	private final LocalStores local;

	private final Peers peers;

	private final Duration timeout;

	private final boolean allowStale;

	private final long maxStaleLag;

	// Standby lags come from the broker (end offsets of every local changelog): one call
	// per instance and second serves every stale query, however many arrive.
	private final Map<KafkaStreams, CachedLags> lags = Collections.synchronizedMap(new WeakHashMap<>());

	KeyQueries(Instances instances, LocalStores local, Peers peers, Duration timeout, boolean allowStale,
			long maxStaleLag) {
		this.instances = instances;
		this.local = local;
		this.peers = peers;
		this.timeout = timeout;
		this.allowStale = allowStale;
		this.maxStaleLag = maxStaleLag;
	}

	/**
	 * Answers a {@link StoreQuery.KeyLookup} or {@link StoreQuery.WindowFetch} from
	 * wherever the key is held.
	 */
	StoreAnswer route(StoreCatalog.Store store, StoreQuery query, Object key) {
		ManagedProcessor processor = store.processor();
		return Attempts.run(processor, this.timeout, () -> {
			KafkaStreams streams = Instances.running(processor);
			StoreType known = this.local.typeIfKnown(streams, store.name());
			if (known != null) {
				QueryChecks.check(known, query, store.name());
			}
			Instances.Owner owner = this.instances.owner(store, streams, key);
			if (owner.active() == null) {
				return answer(store, streams, query, owner.partition(), false);
			}
			PeerMessages.PeerRequest request = new PeerMessages.PeerRequest(processor.name(), store.name(), query,
					Set.of(owner.partition()), false);
			try {
				return decode(this.peers.ask(owner.active(), request, store.keyType()), owner.active());
			}
			catch (QueryException ex) {
				if (!ex.isRetriable() || !this.allowStale) {
					throw ex;
				}
				return fromStandby(store, streams, query, owner, ex);
			}
		});
	}

	/**
	 * Answers from this instance's copy of a partition ({@code stale}: a standby copy may
	 * answer, within the allowed lag).
	 */
	StoreAnswer answer(StoreCatalog.Store store, KafkaStreams streams, StoreQuery query, int partition,
			boolean stale) {
		StoreType type = this.local.type(streams, store.name());
		QueryChecks.check(type, query, store.name());
		if (stale) {
			requireFreshEnough(streams, store.name(), partition);
		}
		else if (store.processor().isRestoring()) {
			throw QueryException.unavailable("Store '" + store.name() + "' is restoring from its changelog");
		}
		String host = this.instances.host(store.processor());
		if (query instanceof StoreQuery.KeyLookup lookup && (type == StoreType.WINDOW || type == StoreType.SESSION)) {
			query = new StoreQuery.WindowFetch(lookup.key(), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE));
		}
		try {
			if (query instanceof StoreQuery.WindowFetch fetch) {
				List<WindowedValues.Window> windows = this.local.windowsOfKey(streams, type, store.name(), fetch.key(),
						store.keyType().toText(fetch.key()), fetch.from(), fetch.to(), partition, host);
				return new WindowedValues(windows, null, false, null);
			}
			StoreQuery.KeyLookup lookup = (StoreQuery.KeyLookup) query;
			String keyText = store.keyType().toText(lookup.key());
			QueryResult result = this.local.get(streams, type, store.name(), lookup.key(), keyText, lookup.asOf(),
					partition, stale, host);
			if (result == null) {
				throw QueryException.notFound("No value for key '" + keyText + "' in store '" + store.name() + "'");
			}
			return result;
		}
		catch (StreamsException ex) {
			throw QueryException.unavailable("Store '" + store.name() + "' is not queryable right now: "
					+ ex.getMessage());
		}
	}

	private StoreAnswer fromStandby(StoreCatalog.Store store, KafkaStreams streams, StoreQuery query,
			Instances.Owner owner, QueryException activeFailure) {
		for (HostInfo standby : owner.standbys()) {
			try {
				if (standby.equals(owner.self())) {
					return answer(store, streams, query, owner.partition(), true);
				}
				PeerMessages.PeerRequest request = new PeerMessages.PeerRequest(store.processor().name(), store.name(),
						query, Set.of(owner.partition()), true);
				return decode(this.peers.ask(standby, request, store.keyType()), standby);
			}
			catch (QueryException ex) {
				if (!ex.isRetriable()) {
					throw ex;
				}
				// try the next standby
			}
		}
		throw activeFailure;
	}

	private StoreAnswer decode(byte[] body, HostInfo peer) {
		// A key alone is answered with windows by a window or session store.
		return this.peers.messages().decodeKeyAnswer(body, peer.host() + ":" + peer.port());
	}

	private void requireFreshEnough(KafkaStreams streams, String store, int partition) {
		Map<Integer, LagInfo> storeLags = this.lags.computeIfAbsent(streams, (key) -> new CachedLags())
			.get(streams)
			.getOrDefault(store, Map.of());
		LagInfo lag = storeLags.get(partition);
		if (lag == null || lag.offsetLag() > this.maxStaleLag) {
			throw QueryException.unavailable("The standby of store '" + store + "' here lags "
					+ ((lag != null) ? lag.offsetLag() + " records" : "an unknown amount")
					+ ", more than tributary.query.max-stale-lag (" + this.maxStaleLag + ")");
		}
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
