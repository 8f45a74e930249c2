package dev.tributary.benchmarks.queries;

/**
 * One way of looking up a key in a state store. The benchmark measures each the same
 * way; the HTTP paths through {@code GET /actuator/statestores/...} (local owner, and
 * forwarded to another instance) become two more implementations once that endpoint
 * exists.
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
	 * @return the value, or {@code null} if the store has none
	 */
	Object get(String key);

}
