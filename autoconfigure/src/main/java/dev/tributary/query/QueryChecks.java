package dev.tributary.query;

import java.util.List;

/**
 * Which queries each store type answers: one check, made wherever the store's type is
 * known (before routing when this instance has a copy, else by the instance that
 * answers), so the answer is the same whichever instance was asked.
 */
final class QueryChecks {

	private QueryChecks() {
	}

	/**
	 * @throws QueryException bad request naming the parameters the store type takes
	 */
	static void check(StoreType type, StoreQuery query, String store) {
		String problem = null;
		if (query instanceof StoreQuery.KeyLookup lookup) {
			// A key alone on a window or session store: all its windows or sessions.
			if (lookup.asOf() != null && type != StoreType.VERSIONED_KEY_VALUE) {
				problem = "asOf applies to versioned stores only";
			}
		}
		else if (query instanceof StoreQuery.KeyRange || query instanceof StoreQuery.PrefixScan) {
			if (!type.isKeyValue()) {
				problem = (type == StoreType.VERSIONED_KEY_VALUE) ? "versioned stores answer key lookups only"
						: "from, to and prefix apply to key-value stores";
			}
		}
		else if (query instanceof StoreQuery.WindowFetch) {
			if (type != StoreType.WINDOW && type != StoreType.SESSION) {
				problem = "timeFrom and timeTo apply to window and session stores";
			}
		}
		else if (query instanceof StoreQuery.WindowScan) {
			if (type != StoreType.WINDOW) {
				problem = (type == StoreType.SESSION) ? "a time range without a key applies to window stores: give a key"
						: "timeFrom and timeTo apply to window and session stores";
			}
		}
		if (problem != null) {
			throw QueryException.badRequest("Store '" + store + "' is a " + type + " store: " + problem,
					"parameters", parameters(type));
		}
	}

	/**
	 * The query parameters a store type takes.
	 */
	static List<String> parameters(StoreType type) {
		return switch (type) {
			case KEY_VALUE, TIMESTAMPED_KEY_VALUE -> List.of("key", "from", "to", "prefix", "limit", "cursor");
			case VERSIONED_KEY_VALUE -> List.of("key", "asOf");
			case WINDOW -> List.of("key", "timeFrom", "timeTo", "limit", "cursor");
			case SESSION -> List.of("key", "timeFrom", "timeTo");
		};
	}

}
