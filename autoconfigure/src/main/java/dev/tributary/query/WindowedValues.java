package dev.tributary.query;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The windows (of a window store) or sessions (of a session store) found for a query,
 * in order of key then window start.
 *
 * @param windows the windows found
 * @param limit the page size of a scan; {@code null} for the windows of one key, which
 * are answered in full
 * @param truncated whether more windows matched than {@code limit}
 * @param nextCursor when truncated, pass it back as the cursor of the next page; {@code null}
 * on the last page and for the windows of one key
 */
public record WindowedValues(List<Window> windows, @Nullable Integer limit, boolean truncated,
		@Nullable String nextCursor) implements StoreAnswer {

	/**
	 * The value of one key in one window or session.
	 *
	 * @param key the key as text
	 * @param start the window or session start, epoch milliseconds
	 * @param end the window or session end, epoch milliseconds
	 * @param value the value (see {@link QueryResult#value()})
	 * @param host the instance that holds it
	 */
	public record Window(String key, long start, long end, @Nullable Object value, String host) {

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
