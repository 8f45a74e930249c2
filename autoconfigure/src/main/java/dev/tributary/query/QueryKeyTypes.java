package dev.tributary.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

/**
 * Finds the {@link QueryKeyType} of each store: the one configured for it, else the one
 * matching the class of the keys found in the store, else {@link QueryKeyType#STRING}.
 */
final class QueryKeyTypes {

	private final Map<String, QueryKeyType<?>> byName = new LinkedHashMap<>();

	private final BiFunction<String, String, @Nullable String> configured;

	private final Map<String, QueryKeyType<?>> learned = new ConcurrentHashMap<>();

	/**
	 * @param custom the application's own key types
	 * @param configured the key type configured for a processor's store, if any
	 */
	QueryKeyTypes(List<QueryKeyType<?>> custom, BiFunction<String, String, @Nullable String> configured) {
		for (QueryKeyType<?> type : List.of(QueryKeyType.STRING, QueryKeyType.LONG, QueryKeyType.INTEGER,
				QueryKeyType.UUID, QueryKeyType.BYTES)) {
			this.byName.put(type.name(), type);
		}
		custom.forEach((type) -> this.byName.put(type.name(), type));
		this.configured = configured;
	}

	@SuppressWarnings("unchecked")
	QueryKeyType<Object> forName(String name, String processor, String store) {
		QueryKeyType<?> type = this.byName.get(name);
		if (type == null) {
			throw new QueryException(500, "Unknown key type '" + name + "' configured for store '" + store
					+ "' (tributary.processors." + processor + ".stores." + store + ".key-type)", "keyTypes",
					List.copyOf(this.byName.keySet()));
		}
		return (QueryKeyType<Object>) type;
	}

	/**
	 * The key type of a store: configured, learned from a sample key, or string.
	 */
	QueryKeyType<Object> resolve(String processor, String store, @Nullable Object sampleKey) {
		String name = this.configured.apply(processor, store);
		if (name != null) {
			return forName(name, processor, store);
		}
		String id = processor + "/" + store;
		QueryKeyType<?> known = this.learned.get(id);
		if (known == null && sampleKey != null) {
			known = this.byName.values()
				.stream()
				.filter((type) -> type.type().isInstance(sampleKey))
				.findFirst()
				.orElseThrow(() -> new QueryException(500, "Store '" + store + "' has keys of type "
						+ sampleKey.getClass().getName() + ", which queries cannot route: declare a QueryKeyType bean "
						+ "for it and set tributary.processors." + processor + ".stores." + store + ".key-type",
						"keyTypes", List.copyOf(this.byName.keySet())));
			this.learned.put(id, known);
		}
		@SuppressWarnings("unchecked")
		QueryKeyType<Object> type = (QueryKeyType<Object>) ((known != null) ? known : QueryKeyType.STRING);
		return type;
	}

	/**
	 * The key type for a key given through the Java API: the store's, when the key is an
	 * instance of it; else, when the store's key type is not configured, the type the key
	 * is an instance of (not learned: one caller's key says nothing of the store's).
	 */
	QueryKeyType<Object> forKey(String processor, String store, Object key) {
		QueryKeyType<Object> resolved = resolve(processor, store, null);
		if (resolved.type().isInstance(key) || this.configured.apply(processor, store) != null) {
			return resolved;
		}
		@SuppressWarnings("unchecked")
		QueryKeyType<Object> matching = (QueryKeyType<Object>) this.byName.values()
			.stream()
			.filter((type) -> type.type().isInstance(key))
			.findFirst()
			.orElse(null);
		return (matching != null) ? matching : resolved;
	}

	boolean isKnown(String processor, String store) {
		return this.configured.apply(processor, store) != null || this.learned.containsKey(processor + "/" + store);
	}

}
