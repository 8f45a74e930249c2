package dev.tributary.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.tributary.query.QueryException;
import dev.tributary.query.QueryKeyType;
import dev.tributary.query.StoreQuery;
import org.jspecify.annotations.Nullable;

/**
 * Reads the text parameters of {@code GET /actuator/statestores/{processor}/{store}} into
 * a {@link StoreQuery}, refusing what is unknown, repeated, contradictory or
 * meaningless with a bad request that names what is valid. Everything here is decided
 * before a query is routed, so every instance answers the same.
 */
final class StoreQueryParameters {

	static final List<String> NAMES = List.of("key", "from", "to", "prefix", "limit", "cursor", "timeFrom", "timeTo",
			"asOf");

	private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

	private StoreQueryParameters() {
	}

	/**
	 * Reads the parameters.
	 * @param parameters every parameter with all its values
	 * @param keyType the store's key type, asked for only when a key is given
	 * @param store the store name, for messages
	 * @return the query
	 * @throws QueryException bad request
	 */
	static StoreQuery parse(Map<String, List<String>> parameters, Supplier<QueryKeyType<Object>> keyType,
			String store) {
		for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
			if (!NAMES.contains(parameter.getKey())) {
				throw bad("Unknown parameter '" + parameter.getKey() + "'", NAMES);
			}
			if (parameter.getValue().size() > 1) {
				throw bad("'" + parameter.getKey() + "' is given " + parameter.getValue().size()
						+ " times; give it once", NAMES);
			}
		}
		String key = value(parameters, "key");
		boolean timeRange = parameters.containsKey("timeFrom") || parameters.containsKey("timeTo");
		if (key != null) {
			for (String other : List.of("from", "to", "prefix", "limit", "cursor")) {
				if (parameters.containsKey(other)) {
					throw bad("'key' cannot be combined with '" + other + "': a key selects one value (or, with "
							+ "timeFrom and timeTo, its windows)", List.of("key", "timeFrom", "timeTo", "asOf"));
				}
			}
			if (timeRange && parameters.containsKey("asOf")) {
				throw bad("'asOf' (versioned stores) cannot be combined with 'timeFrom' or 'timeTo' (window and "
						+ "session stores)", List.of("key", "timeFrom", "timeTo", "asOf"));
			}
			QueryKeyType<Object> type = keyType.get();
			Object typed = parseKey(type, key, "key", store);
			if (timeRange) {
				return new StoreQuery.WindowFetch(typed, time(parameters, "timeFrom", Instant.EPOCH),
						time(parameters, "timeTo", END_OF_TIME));
			}
			return new StoreQuery.KeyLookup(typed, parameters.containsKey("asOf") ? time(parameters, "asOf", null)
					: null);
		}
		if (parameters.containsKey("asOf")) {
			throw bad("'asOf' needs a 'key': it selects the value a key had at a point in time",
					List.of("key", "asOf"));
		}
		StoreQuery.Page page = new StoreQuery.Page(limit(value(parameters, "limit")), value(parameters, "cursor"));
		if (timeRange) {
			for (String other : List.of("from", "to", "prefix")) {
				if (parameters.containsKey(other)) {
					throw bad("'" + other + "' (key-value stores) cannot be combined with 'timeFrom' or 'timeTo' "
							+ "(window stores)", List.of("timeFrom", "timeTo", "limit", "cursor"));
				}
			}
			return new StoreQuery.WindowScan(time(parameters, "timeFrom", Instant.EPOCH),
					time(parameters, "timeTo", END_OF_TIME), page);
		}
		String prefix = value(parameters, "prefix");
		if (prefix != null) {
			if (parameters.containsKey("from") || parameters.containsKey("to")) {
				throw bad("'prefix' cannot be combined with 'from' or 'to'; give one or the other",
						List.of("prefix", "limit", "cursor"));
			}
			return new StoreQuery.PrefixScan(prefix, page);
		}
		String from = value(parameters, "from");
		String to = value(parameters, "to");
		QueryKeyType<Object> type = (from != null || to != null) ? keyType.get() : null;
		return new StoreQuery.KeyRange((from != null) ? parseKey(type, from, "from", store) : null,
				(to != null) ? parseKey(type, to, "to", store) : null, page);
	}

	private static @Nullable String value(Map<String, List<String>> parameters, String name) {
		List<String> values = parameters.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	private static Object parseKey(QueryKeyType<Object> keyType, String text, String parameter, String store) {
		try {
			return keyType.parse(text);
		}
		catch (RuntimeException ex) {
			throw new QueryException(QueryException.Reason.BAD_REQUEST, "'" + parameter + "' of store '" + store
					+ "' must be " + keyType.format() + " (key type " + keyType.name() + "), not '" + text + "'",
					"keyTypes", List.of(keyType.name()));
		}
	}

	private static @Nullable Integer limit(@Nullable String limit) {
		if (limit == null) {
			return null;
		}
		try {
			return Integer.valueOf(limit);
		}
		catch (NumberFormatException ex) {
			throw bad("'limit' must be a whole number, not '" + limit + "'", List.of("limit"));
		}
	}

	static Instant time(Map<String, List<String>> parameters, String name, @Nullable Instant defaultValue) {
		String text = value(parameters, name);
		if (text == null || text.isEmpty()) {
			if (defaultValue == null) {
				throw bad("'" + name + "' needs a value", List.of(name));
			}
			return defaultValue;
		}
		try {
			Instant instant = text.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(text))
					: Instant.parse(text);
			// Kafka Streams counts in epoch milliseconds: the instant must fit in them.
			if (instant.toEpochMilli() >= 0) {
				return instant;
			}
		}
		catch (RuntimeException ex) {
			// Not an instant, or too far in the future for epoch milliseconds.
		}
		throw bad("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z or epoch milliseconds "
				+ "such as 1769860800000, between 1970-01-01T00:00:00Z and " + END_OF_TIME + ", not '" + text + "'",
				List.of(name));
	}

	private static QueryException bad(String message, List<String> valid) {
		return new QueryException(QueryException.Reason.BAD_REQUEST, message, "parameters", valid);
	}

	static Set<String> names() {
		return Set.copyOf(NAMES);
	}

}
