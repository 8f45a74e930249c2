package dev.tributary.query;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a range, prefix or full scan, merged in the store's key order (the order
 * of the serialized keys) across every instance.
 *
 * @param entries the entries of this page
 * @param limit the page size in force (after clamping to the configured maximum)
 * @param limitClamped whether the requested limit was above the maximum and was lowered
 * @param nextCursor pass it as {@code cursor} to get the next page; {@code null} on the
 * last page
 */
public record KeyValuePage(List<Entry> entries, int limit, boolean limitClamped, @Nullable String nextCursor) implements StoreAnswer {

	/**
	 * One key and its value.
	 *
	 * @param key the key as text
	 * @param value the value (see {@link QueryResult#value()})
	 * @param timestamp the value's timestamp, for timestamped stores
	 * @param host the instance that holds it
	 */
	public record Entry(String key, @Nullable Object value, @Nullable Long timestamp, String host) {

		/**
		 * The value converted to the given type.
		 * @param <V> the value type
		 * @param type the value type
		 * @return the converted value
		 */
		public <V> @Nullable V value(Class<V> type) {
			return Values.convert(this.value, type);
		}

	}

}
