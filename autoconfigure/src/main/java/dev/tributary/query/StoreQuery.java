package dev.tributary.query;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A query of one state store, typed: what the HTTP endpoint parses its parameters into
 * and what the Java API builds from its arguments. Keys are in the store's key type
 * ({@code String}, {@code Long}, ...; see {@link QueryKeyType}).
 *
 * <p>Which store types answer which query:
 * <ul>
 * <li>{@link KeyLookup}: key-value stores (plain, timestamped, versioned);</li>
 * <li>{@link KeyRange}, {@link PrefixScan}: plain and timestamped key-value stores;</li>
 * <li>{@link WindowFetch}: window stores (the windows of a key that start in the time
 * range) and session stores (the sessions of a key that overlap it);</li>
 * <li>{@link WindowScan}: window stores (the windows of every key that start in the
 * time range).</li>
 * </ul>
 * Another pairing is a {@link QueryException.Reason#BAD_REQUEST} naming the queries the
 * store answers.
 */
public sealed interface StoreQuery {

	/**
	 * The value of one key; for a versioned store, optionally as of a point in time.
	 *
	 * @param key the key
	 * @param asOf the point in time (versioned stores only), or {@code null} for the
	 * current value
	 */
	record KeyLookup(Object key, @Nullable Instant asOf) implements StoreQuery {

		/**
		 * Checks the arguments.
		 * @param key the key
		 * @param asOf the point in time or {@code null}
		 */
		public KeyLookup {
			Objects.requireNonNull(key, "key");
		}

	}

	/**
	 * The keys from {@code from} to {@code to}, both inclusive, in the key type's order, a
	 * page at a time. Both {@code null}: every key.
	 *
	 * @param from the first key, or {@code null} for the smallest
	 * @param to the last key, or {@code null} for the largest
	 * @param page the page size and where to continue
	 */
	record KeyRange(@Nullable Object from, @Nullable Object to, Page page) implements StoreQuery {

		/**
		 * Checks the arguments.
		 * @param from the first key or {@code null}
		 * @param to the last key or {@code null}
		 * @param page the page
		 */
		public KeyRange {
			Objects.requireNonNull(page, "page");
		}

	}

	/**
	 * The keys that start with a prefix (string keys), in key order, a page at a time.
	 *
	 * @param prefix the prefix
	 * @param page the page size and where to continue
	 */
	record PrefixScan(String prefix, Page page) implements StoreQuery {

		/**
		 * Checks the arguments.
		 * @param prefix the prefix
		 * @param page the page
		 */
		public PrefixScan {
			Objects.requireNonNull(prefix, "prefix");
			Objects.requireNonNull(page, "page");
		}

	}

	/**
	 * The windows of one key that start in a time range (window stores), or its sessions
	 * that overlap it (session stores).
	 *
	 * @param key the key
	 * @param from the start of the time range, inclusive
	 * @param to the end of the time range, inclusive
	 */
	record WindowFetch(Object key, Instant from, Instant to) implements StoreQuery {

		/**
		 * Checks the arguments.
		 * @param key the key
		 * @param from the start
		 * @param to the end
		 */
		public WindowFetch {
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(from, "from");
			Objects.requireNonNull(to, "to");
		}

	}

	/**
	 * The windows of every key that start in a time range (window stores), in key order
	 * then window start, a page at a time.
	 *
	 * @param from the start of the time range, inclusive
	 * @param to the end of the time range, inclusive
	 * @param page the page size and where to continue
	 */
	record WindowScan(Instant from, Instant to, Page page) implements StoreQuery {

		/**
		 * Checks the arguments.
		 * @param from the start
		 * @param to the end
		 * @param page the page
		 */
		public WindowScan {
			Objects.requireNonNull(from, "from");
			Objects.requireNonNull(to, "to");
			Objects.requireNonNull(page, "page");
		}

	}

	/**
	 * Which page of a scan to answer.
	 *
	 * @param limit the most entries (or windows) to return, or {@code null} for
	 * {@code tributary.query.default-limit}; above {@code tributary.query.max-limit} it is
	 * lowered to it
	 * @param cursor the {@code nextCursor} of the previous page, or {@code null} for the
	 * first page
	 */
	record Page(@Nullable Integer limit, @Nullable String cursor) {

		/** The first page, of the default size. */
		public static final Page FIRST = new Page(null, null);

	}

}
