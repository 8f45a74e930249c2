package dev.tributary.benchmarks.queries;

import org.jspecify.annotations.Nullable;

/**
 * One way of looking up a key in a state store. The benchmark measures each the same
 * way, from one or more client threads at once, so an implementation must be safe to
 * call from several threads.
 */
public interface PointQuery {

	/**
	 * What the query goes through, for the report.
	 * @return the description
	 */
	String description();

	/**
	 * Looks up one key.
	 * @param key the key
	 * @return the value (or the whole answer), or {@code null} if the store has none
	 */
	@Nullable Object get(String key);

	/**
	 * Which instance answers a key, where the path says so: checked once before each
	 * measurement, so that "local owner" and "forwarded" measure what they claim.
	 * @param key the key
	 * @return the answering instance as {@code host:port}, or {@code null} if the path does
	 * not tell
	 */
	default @Nullable String answeredBy(String key) {
		return null;
	}

}
