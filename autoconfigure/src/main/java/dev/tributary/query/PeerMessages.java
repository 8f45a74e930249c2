package dev.tributary.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What instances send each other, as JSON: a {@link PeerRequest} (answer this query from
 * your own copies, for these partitions) and its answer or failure. Keys travel as text
 * in the store's key type, which every instance resolves the same way. A peer's answer
 * that is not in this shape is a {@link QueryException.Reason#BAD_PEER_ANSWER}, and a
 * peer's failure is relayed with its reason, message and valid values only.
 */
final class PeerMessages {

	private static final int MAX_MESSAGE = 2_000;

	private static final int MAX_VALID_VALUES = 1_000;

	private final JsonMapper json;

	PeerMessages(JsonMapper json) {
		this.json = json;
	}

	/**
	 * A query one instance asks another to answer from its own copies.
	 *
	 * @param processor the processor
	 * @param store the store
	 * @param query the query
	 * @param partitions the partitions to answer for
	 * @param stale whether a standby copy may answer (key lookups)
	 */
	record PeerRequest(String processor, String store, StoreQuery query, Set<Integer> partitions, boolean stale) {

	}

	// ---- requests ------------------------------------------------------------------------

	byte[] encode(PeerRequest request, QueryKeyType<Object> keyType) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("processor", request.processor());
		message.put("store", request.store());
		message.put("partitions", List.copyOf(request.partitions()));
		message.put("stale", request.stale());
		Map<String, Object> query = new LinkedHashMap<>();
		StoreQuery asked = request.query();
		if (asked instanceof StoreQuery.KeyLookup lookup) {
			query.put("type", "key");
			query.put("key", keyType.toText(lookup.key()));
			if (lookup.asOf() != null) {
				query.put("asOf", lookup.asOf().toEpochMilli());
			}
		}
		else if (asked instanceof StoreQuery.KeyRange range) {
			query.put("type", "range");
			if (range.from() != null) {
				query.put("from", keyType.toText(range.from()));
			}
			if (range.to() != null) {
				query.put("to", keyType.toText(range.to()));
			}
			page(query, range.page());
		}
		else if (asked instanceof StoreQuery.PrefixScan prefix) {
			query.put("type", "prefix");
			query.put("prefix", prefix.prefix());
			page(query, prefix.page());
		}
		else if (asked instanceof StoreQuery.WindowFetch fetch) {
			query.put("type", "windowFetch");
			query.put("key", keyType.toText(fetch.key()));
			query.put("timeFrom", fetch.from().toEpochMilli());
			query.put("timeTo", fetch.to().toEpochMilli());
		}
		else if (asked instanceof StoreQuery.WindowScan scan) {
			query.put("type", "windowScan");
			query.put("timeFrom", scan.from().toEpochMilli());
			query.put("timeTo", scan.to().toEpochMilli());
			page(query, scan.page());
		}
		message.put("query", query);
		return this.json.writeValueAsBytes(message);
	}

	/**
	 * Reads a request; the key type is looked up from the processor and store it names.
	 */
	PeerRequest decodeRequest(byte[] body, KeyTypeLookup keyTypes) {
		try {
			Map<String, Object> message = map(this.json.readValue(body, Map.class));
			String processor = text(message, "processor");
			String store = text(message, "store");
			Map<String, Object> query = map(message.get("query"));
			Set<Integer> partitions = new TreeSet<>();
			for (Object partition : list(message.get("partitions"))) {
				partitions.add(((Number) partition).intValue());
			}
			boolean stale = Boolean.TRUE.equals(message.get("stale"));
			String type = text(query, "type");
			StoreQuery decoded = switch (type) {
				case "key" -> new StoreQuery.KeyLookup(keyTypes.keyType(processor, store).parse(text(query, "key")),
						instant(query.get("asOf")));
				case "range" -> {
					QueryKeyType<Object> keyType = keyTypes.keyType(processor, store);
					String from = optionalText(query, "from");
					String to = optionalText(query, "to");
					yield new StoreQuery.KeyRange((from != null) ? keyType.parse(from) : null,
							(to != null) ? keyType.parse(to) : null, page(query));
				}
				case "prefix" -> new StoreQuery.PrefixScan(text(query, "prefix"), page(query));
				case "windowFetch" -> new StoreQuery.WindowFetch(
						keyTypes.keyType(processor, store).parse(text(query, "key")), instant(query.get("timeFrom")),
						instant(query.get("timeTo")));
				case "windowScan" -> new StoreQuery.WindowScan(instant(query.get("timeFrom")),
						instant(query.get("timeTo")), page(query));
				default -> throw new IllegalArgumentException("unknown query type " + type);
			};
			return new PeerRequest(processor, store, decoded, partitions, stale);
		}
		catch (QueryException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw QueryException.badRequest("Not a query from another instance: " + ex.getMessage());
		}
	}

	// ---- answers -------------------------------------------------------------------------

	byte[] encodeValue(QueryResult result) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "value");
		message.put("key", result.key());
		message.put("value", result.value());
		message.put("timestamp", result.timestamp());
		message.put("validTo", result.validTo());
		message.put("host", result.host());
		message.put("stale", result.stale());
		return this.json.writeValueAsBytes(message);
	}

	byte[] encodeWindows(List<WindowedValues.Window> windows) {
		return this.json.writeValueAsBytes(Map.of("type", "windows", "windows", windows.stream().map(PeerMessages::window).toList()));
	}

	byte[] encodeEntries(LocalStores.Part<KeyValuePage.Entry> part) {
		List<Map<String, Object>> items = new ArrayList<>();
		for (LocalStores.Keyed<KeyValuePage.Entry> keyed : part.items()) {
			KeyValuePage.Entry entry = keyed.item();
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("key", entry.key());
			item.put("value", entry.value());
			item.put("timestamp", entry.timestamp());
			item.put("host", entry.host());
			items.add(item);
		}
		return this.json.writeValueAsBytes(Map.of("type", "entries", "items", items, "more", part.more()));
	}

	byte[] encodeWindowPart(LocalStores.Part<WindowedValues.Window> part) {
		return this.json.writeValueAsBytes(Map.of("type", "windowPart", "items",
				part.items().stream().map((keyed) -> window(keyed.item())).toList(), "more", part.more()));
	}

	byte[] encodeFailure(QueryException failure) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "error");
		message.put("reason", failure.getReason().name());
		message.put("error", failure.getMessage());
		if (failure.getValidName() != null) {
			message.put("validName", failure.getValidName());
			message.put("validValues", failure.getValidValues());
		}
		return this.json.writeValueAsBytes(message);
	}

	/**
	 * Reads the answer to a key query: a value, or the windows of the key.
	 */
	StoreAnswer decodeKeyAnswer(byte[] body, String peer) {
		Map<String, Object> message = answer(body, null, peer);
		if ("windows".equals(message.get("type"))) {
			List<WindowedValues.Window> windows = decodeWindows(body, peer);
			return new WindowedValues(windows, null, false, null);
		}
		return decodeValue(body, peer);
	}

	QueryResult decodeValue(byte[] body, String peer) {
		Map<String, Object> message = answer(body, "value", peer);
		return new QueryResult(text(message, "key"), message.get("value"), asLong(message.get("timestamp")),
				asLong(message.get("validTo")), text(message, "host"), Boolean.TRUE.equals(message.get("stale")));
	}

	List<WindowedValues.Window> decodeWindows(byte[] body, String peer) {
		Map<String, Object> message = answer(body, "windows", peer);
		try {
			List<WindowedValues.Window> windows = new ArrayList<>();
			for (Object window : list(message.get("windows"))) {
				windows.add(window(map(window)));
			}
			return windows;
		}
		catch (RuntimeException ex) {
			throw notAnAnswer(peer, ex);
		}
	}

	LocalStores.Part<KeyValuePage.Entry> decodeEntries(byte[] body, String peer, QueryKeyType<Object> keyType) {
		Map<String, Object> message = answer(body, "entries", peer);
		try {
			List<LocalStores.Keyed<KeyValuePage.Entry>> items = new ArrayList<>();
			for (Object item : list(message.get("items"))) {
				Map<String, Object> entry = map(item);
				String key = text(entry, "key");
				items.add(new LocalStores.Keyed<>(keyType.parse(key), 0, new KeyValuePage.Entry(key,
						entry.get("value"), asLong(entry.get("timestamp")), text(entry, "host"))));
			}
			return new LocalStores.Part<>(items, Boolean.TRUE.equals(message.get("more")));
		}
		catch (RuntimeException ex) {
			throw notAnAnswer(peer, ex);
		}
	}

	LocalStores.Part<WindowedValues.Window> decodeWindowPart(byte[] body, String peer, QueryKeyType<Object> keyType) {
		Map<String, Object> message = answer(body, "windowPart", peer);
		try {
			List<LocalStores.Keyed<WindowedValues.Window>> items = new ArrayList<>();
			for (Object item : list(message.get("items"))) {
				WindowedValues.Window window = window(map(item));
				items.add(new LocalStores.Keyed<>(keyType.parse(window.key()), window.start(), window));
			}
			return new LocalStores.Part<>(items, Boolean.TRUE.equals(message.get("more")));
		}
		catch (RuntimeException ex) {
			throw notAnAnswer(peer, ex);
		}
	}

	/**
	 * Reads an answer of the expected type; a failure is thrown as the peer's
	 * {@link QueryException}, its message and valid values bounded in length.
	 */
	private Map<String, Object> answer(byte[] body, @Nullable String expectedType, String peer) {
		Map<String, Object> message;
		try {
			message = map(this.json.readValue(body, Map.class));
		}
		catch (JacksonException | IllegalArgumentException | ClassCastException ex) {
			throw notAnAnswer(peer, ex);
		}
		Object type = message.get("type");
		if ("error".equals(type)) {
			QueryException.Reason reason;
			try {
				reason = QueryException.Reason.valueOf(String.valueOf(message.get("reason")));
			}
			catch (IllegalArgumentException ex) {
				throw notAnAnswer(peer, ex);
			}
			String error = String.valueOf(message.get("error"));
			if (error.length() > MAX_MESSAGE) {
				error = error.substring(0, MAX_MESSAGE) + "...";
			}
			Object validName = message.get("validName");
			List<String> valid = new ArrayList<>();
			if (validName instanceof String && message.get("validValues") instanceof List<?> values) {
				values.stream().limit(MAX_VALID_VALUES).forEach((value) -> valid.add(String.valueOf(value)));
			}
			throw new QueryException(reason, error, (validName instanceof String name) ? name : null, valid);
		}
		if (expectedType == null ? !("value".equals(type) || "windows".equals(type)) : !expectedType.equals(type)) {
			throw notAnAnswer(peer, new IllegalArgumentException("answer type " + type + ", expected " + expectedType));
		}
		return message;
	}

	private static QueryException notAnAnswer(String peer, Exception cause) {
		return new QueryException(QueryException.Reason.BAD_PEER_ANSWER, "Instance " + peer
				+ " answered something that is not a query answer (" + cause.getClass().getSimpleName() + ")");
	}

	private static Map<String, Object> window(WindowedValues.Window window) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("key", window.key());
		json.put("start", window.start());
		json.put("end", window.end());
		json.put("value", window.value());
		json.put("host", window.host());
		return json;
	}

	private static WindowedValues.Window window(Map<String, Object> json) {
		return new WindowedValues.Window(text(json, "key"), ((Number) json.get("start")).longValue(),
				((Number) json.get("end")).longValue(), json.get("value"), text(json, "host"));
	}

	private static void page(Map<String, Object> query, StoreQuery.Page page) {
		query.put("limit", page.limit());
		if (page.cursor() != null) {
			query.put("cursor", page.cursor());
		}
	}

	private static StoreQuery.Page page(Map<String, Object> query) {
		Object limit = query.get("limit");
		return new StoreQuery.Page((limit instanceof Number number) ? number.intValue() : null,
				optionalText(query, "cursor"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(@Nullable Object value) {
		if (!(value instanceof Map)) {
			throw new IllegalArgumentException("not an object");
		}
		return (Map<String, Object>) value;
	}

	private static List<?> list(@Nullable Object value) {
		if (!(value instanceof List<?> list)) {
			throw new IllegalArgumentException("not a list");
		}
		return list;
	}

	private static String text(Map<String, Object> json, String name) {
		if (!(json.get(name) instanceof String text)) {
			throw new IllegalArgumentException(name + " missing");
		}
		return text;
	}

	private static @Nullable String optionalText(Map<String, Object> json, String name) {
		return (json.get(name) instanceof String text) ? text : null;
	}

	private static @Nullable Instant instant(@Nullable Object millis) {
		return (millis instanceof Number number) ? Instant.ofEpochMilli(number.longValue()) : null;
	}

	private static @Nullable Long asLong(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : null;
	}

	/**
	 * The key type of a store, as the receiving instance resolves it.
	 */
	@FunctionalInterface
	interface KeyTypeLookup {

		QueryKeyType<Object> keyType(String processor, String store);

	}

}
