package dev.tributary.query;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A query that cannot be answered, with the HTTP status that says why: 404 for an
 * unknown processor, store or key, 400 for a key, time or parameter that cannot be used
 * (the message says the expected form), 503 when the store is not queryable yet or its
 * owner cannot be reached.
 */
public class QueryException extends RuntimeException {

	private final int status;

	private final @Nullable String validName;

	private final List<String> validValues;

	/**
	 * Creates an exception.
	 * @param status the HTTP status
	 * @param message what is wrong
	 */
	public QueryException(int status, String message) {
		this(status, message, null, List.of());
	}

	/**
	 * Creates an exception that names the valid values.
	 * @param status the HTTP status
	 * @param message what is wrong
	 * @param validName what the valid values are (for example {@code "stores"})
	 * @param validValues the valid values
	 */
	public QueryException(int status, String message, @Nullable String validName, List<String> validValues) {
		super(message);
		this.status = status;
		this.validName = validName;
		this.validValues = List.copyOf(validValues);
	}

	/**
	 * The HTTP status.
	 * @return the status
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * What the valid values are.
	 * @return a name such as {@code "stores"}, or {@code null}
	 */
	public @Nullable String getValidName() {
		return this.validName;
	}

	/**
	 * The valid values.
	 * @return the values, empty when not applicable
	 */
	public List<String> getValidValues() {
		return this.validValues;
	}

	static QueryException unavailable(String message) {
		return new QueryException(503, message);
	}

	static QueryException badRequest(String message) {
		return new QueryException(400, message);
	}

}
