package dev.tributary.query;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Range, prefix and window scans: every partition of the store is answered by exactly
 * one instance (this one for its active partitions, one call to each other instance for
 * theirs), each returns at most a page from the cursor on, and the parts are merged in
 * the key type's order. A partition no instance can answer makes the scan unavailable,
 * never a page with a hole in it.
 */
final class ScanQueries {

	private final Instances instances;

	private final LocalStores local;

	private final Peers peers;

	private final Duration timeout;

	private final int defaultLimit;

	private final int maxLimit;

	ScanQueries(Instances instances, LocalStores local, Peers peers, Duration timeout, int defaultLimit,
			int maxLimit) {
		this.instances = instances;
		this.local = local;
		this.peers = peers;
		this.timeout = timeout;
		this.defaultLimit = defaultLimit;
		this.maxLimit = maxLimit;
	}

	/**
	 * The page size in force for a requested one.
	 */
	int limit(StoreQuery.Page page) {
		Integer limit = page.limit();
		if (limit == null) {
			return Math.min(this.defaultLimit, this.maxLimit);
		}
		if (limit < 1) {
			throw QueryException.badRequest("limit must be at least 1, not " + limit, "parameters",
					List.of("limit"));
		}
		return Math.min(limit, this.maxLimit);
	}

	/**
	 * Checks what can be checked without the store's type: the bounds in the key type's
	 * order, the prefix against the key type, the limit and the cursor.
	 */
	void check(StoreCatalog.Store store, StoreQuery query) {
		KeyOrder order = new KeyOrder(store.keyType(), store.name());
		if (query instanceof StoreQuery.KeyRange range) {
			if (range.from() != null && range.to() != null && order.compare(range.from(), range.to()) > 0) {
				throw QueryException.badRequest("from (" + store.keyType().toText(range.from())
						+ ") comes after to (" + store.keyType().toText(range.to()) + ") in the order of store '"
						+ store.name() + "' (" + store.keyType().name() + " keys): nothing can match",
						"parameters", List.of("from", "to"));
			}
			limit(range.page());
			cursorKey(store, range.page());
		}
		else if (query instanceof StoreQuery.PrefixScan prefix) {
			if (store.keyType() != (Object) QueryKeyType.STRING) {
				throw QueryException.badRequest("prefix applies to stores with string keys; store '" + store.name()
						+ "' has " + store.keyType().name() + " keys: use from and to", "parameters",
						List.of("from", "to"));
			}
			limit(prefix.page());
			cursorKey(store, prefix.page());
		}
		else if (query instanceof StoreQuery.WindowScan scan) {
			limit(scan.page());
			if (scan.page().cursor() != null) {
				Cursors.window(scan.page().cursor(), store.keyType());
			}
		}
	}

	/**
	 * Answers a scan from every instance that holds the store.
	 */
	StoreAnswer scan(StoreCatalog.Store store, StoreQuery query) {
		check(store, query);
		ManagedProcessor processor = store.processor();
		return Attempts.run(processor, this.timeout, () -> {
			KafkaStreams streams = Instances.running(processor);
			StoreType known = this.local.typeIfKnown(streams, store.name());
			if (known != null) {
				QueryChecks.check(known, query, store.name());
			}
			Instances.Plan plan = this.instances.plan(store, streams);
			boolean windows = query instanceof StoreQuery.WindowScan;
			List<LocalStores.Part<?>> parts = new ArrayList<>();
			if (!plan.local().isEmpty()) {
				parts.add(answer(store, streams, query, plan.local()));
			}
			for (Map.Entry<HostInfo, Set<Integer>> remote : plan.remote().entrySet()) {
				HostInfo peer = remote.getKey();
				byte[] body = this.peers.ask(peer, new PeerMessages.PeerRequest(processor.name(), store.name(), query,
						remote.getValue(), false), store.keyType());
				String name = peer.host() + ":" + peer.port();
				parts.add(windows ? this.peers.messages().decodeWindowPart(body, name, store.keyType())
						: this.peers.messages().decodeEntries(body, name, store.keyType()));
			}
			return merge(store, query, parts);
		});
	}

	/**
	 * This instance's part of a scan, for the given partitions.
	 */
	LocalStores.Part<?> answer(StoreCatalog.Store store, KafkaStreams streams, StoreQuery query,
			Set<Integer> partitions) {
		StoreType type = this.local.type(streams, store.name());
		QueryChecks.check(type, query, store.name());
		if (store.processor().isRestoring()) {
			throw QueryException.unavailable("Store '" + store.name() + "' is restoring from its changelog");
		}
		KeyOrder order = new KeyOrder(store.keyType(), store.name());
		String host = this.instances.host(store.processor());
		if (query instanceof StoreQuery.WindowScan scan) {
			Cursors.WindowPosition after = (scan.page().cursor() != null)
					? Cursors.window(scan.page().cursor(), store.keyType()) : null;
			return this.local.windowScan(streams, type, store.name(), order, store.keyType(), scan.from(), scan.to(),
					after, partitions, limit(scan.page()), host);
		}
		Object from = null;
		Object to = null;
		byte[] prefix = null;
		StoreQuery.Page page;
		if (query instanceof StoreQuery.KeyRange range) {
			from = range.from();
			to = range.to();
			page = range.page();
		}
		else {
			StoreQuery.PrefixScan prefixScan = (StoreQuery.PrefixScan) query;
			from = prefixScan.prefix();
			prefix = prefixScan.prefix().getBytes(StandardCharsets.UTF_8);
			page = prefixScan.page();
		}
		return this.local.scan(streams, type, store.name(), order, store.keyType(), from, to,
				cursorKey(store, page), prefix, partitions, limit(page), host);
	}

	@SuppressWarnings("unchecked")
	private StoreAnswer merge(StoreCatalog.Store store, StoreQuery query, List<LocalStores.Part<?>> parts) {
		KeyOrder order = new KeyOrder(store.keyType(), store.name());
		boolean windows = query instanceof StoreQuery.WindowScan;
		StoreQuery.Page page = page(query);
		int limit = limit(page);
		Comparator<LocalStores.Keyed<Object>> itemOrder = windows ? Cursors.windowOrder(order)
				: (a, b) -> order.compare(a.key(), b.key());
		List<LocalStores.Keyed<Object>> merged = new ArrayList<>();
		boolean more = false;
		for (LocalStores.Part<?> part : parts) {
			merged.addAll((List<LocalStores.Keyed<Object>>) (List<?>) part.items());
			more |= part.more();
		}
		merged.sort(itemOrder);
		if (merged.size() > limit) {
			more = true;
			merged = merged.subList(0, limit);
		}
		String next = null;
		if (more && !merged.isEmpty()) {
			LocalStores.Keyed<Object> last = merged.get(merged.size() - 1);
			String keyText = store.keyType().toText(last.key());
			next = windows ? Cursors.ofWindow(keyText, last.start()) : Cursors.ofKey(keyText);
		}
		if (windows) {
			return new WindowedValues(merged.stream().map((item) -> (WindowedValues.Window) item.item()).toList(),
					limit, more, next);
		}
		return new KeyValuePage(merged.stream().map((item) -> (KeyValuePage.Entry) item.item()).toList(), limit,
				page.limit() != null && page.limit() > this.maxLimit, next);
	}

	private static StoreQuery.Page page(StoreQuery query) {
		if (query instanceof StoreQuery.KeyRange range) {
			return range.page();
		}
		if (query instanceof StoreQuery.PrefixScan prefix) {
			return prefix.page();
		}
		return ((StoreQuery.WindowScan) query).page();
	}

	private static @Nullable Object cursorKey(StoreCatalog.Store store, StoreQuery.Page page) {
		return (page.cursor() != null) ? Cursors.key(page.cursor(), store.keyType()) : null;
	}

}
