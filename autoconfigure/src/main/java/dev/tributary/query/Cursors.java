package dev.tributary.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code nextCursor} of a page, and reading it back. A key-value page's cursor is
 * its last key; a window page's is its last key and window start. Both are written as
 * the key's text (in the store's key type), so every instance reads a cursor the same
 * way, base64url-encoded so that it passes through a URL untouched.
 */
final class Cursors {

	private Cursors() {
	}

	static String ofKey(String keyText) {
		return encode(keyText);
	}

	static Object key(String cursor, QueryKeyType<Object> keyType) {
		String text = decode(cursor);
		try {
			return keyType.parse(text);
		}
		catch (RuntimeException ex) {
			throw invalid(cursor);
		}
	}

	static String ofWindow(String keyText, long start) {
		return encode(start + ":" + keyText);
	}

	static WindowPosition window(String cursor, QueryKeyType<Object> keyType) {
		String text = decode(cursor);
		int colon = text.indexOf(':');
		try {
			return new WindowPosition(keyType.parse(text.substring(colon + 1)), Long.parseLong(text.substring(0, colon)));
		}
		catch (RuntimeException ex) {
			throw invalid(cursor);
		}
	}

	/**
	 * Key order, then window start.
	 */
	static int compare(KeyOrder order, Object key, long start, WindowPosition position) {
		int byKey = order.compare(key, position.key());
		return (byKey != 0) ? byKey : Long.compare(start, position.start());
	}

	static <T> Comparator<LocalStores.Keyed<T>> windowOrder(KeyOrder order) {
		return (a, b) -> {
			int byKey = order.compare(a.key(), b.key());
			return (byKey != 0) ? byKey : Long.compare(a.start(), b.start());
		};
	}

	private static String encode(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String decode(String cursor) {
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(cursor);
		}
	}

	private static QueryException invalid(String cursor) {
		return QueryException.badRequest("cursor must be the nextCursor of a previous page of the same query, not '"
				+ cursor + "'", "parameters", List.of("cursor"));
	}

	/**
	 * Where a window page ended.
	 *
	 * @param key the last window's key
	 * @param start the last window's start
	 */
	record WindowPosition(Object key, long start) {

	}

}
