package dev.tributary.query;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The windows (of a window store) or sessions (of a session store) found for a query,
 * in order of key then window start.
 *
 * @param windows the windows found
 * @param limit the maximum returned
 * @param truncated whether more windows matched than {@code limit}
 */
public record WindowedValues(List<Window> windows, int limit, boolean truncated) {

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

		Map<String, Object> toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("key", this.key);
			json.put("start", Instant.ofEpochMilli(this.start).toString());
			json.put("end", Instant.ofEpochMilli(this.end).toString());
			json.put("startMs", this.start);
			json.put("endMs", this.end);
			json.put("value", this.value);
			json.put("host", this.host);
			return json;
		}

	}

	Map<String, Object> toJson(String processor, String store) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("processor", processor);
		json.put("store", store);
		json.put("windows", this.windows.stream().map(Window::toJson).toList());
		json.put("count", this.windows.size());
		json.put("limit", this.limit);
		json.put("truncated", this.truncated);
		return json;
	}

}
