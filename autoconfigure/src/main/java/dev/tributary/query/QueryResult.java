package dev.tributary.query;


import org.jspecify.annotations.Nullable;

/**
 * The answer to a point query: the value of one key (with its timestamp where the store
 * keeps one), and which instance answered.
 *
 * @param key the key as text
 * @param value the value: the store's own type when this instance answered, its JSON
 * form (a number, string, map or list) when another instance did; see {@link #value(Class)}
 * @param timestamp the value's timestamp, for timestamped and versioned stores
 * @param validTo for versioned stores, until when the value was valid ({@code null} for the
 * current value)
 * @param host the instance that answered, as {@code host:port}
 * @param stale whether a standby answered because the active owner could not, so the
 * value may lag behind
 */
public record QueryResult(String key, @Nullable Object value, @Nullable Long timestamp, @Nullable Long validTo,
		String host, boolean stale) implements StoreAnswer {

	/**
	 * The value converted to the given type (numbers between numeric types, JSON maps to
	 * records or POJOs through Jackson).
	 * @param <V> the value type
	 * @param type the value type
	 * @return the converted value
	 */
	public <V> @Nullable V value(Class<V> type) {
		return Values.convert(this.value, type);
	}

}
