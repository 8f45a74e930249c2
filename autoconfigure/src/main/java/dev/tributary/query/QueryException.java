package dev.tributary.query;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A query that cannot be answered, with the {@link Reason} why and, where it helps, the
 * values that would have been valid (the processors there are, the stores of a
 * processor, the parameters that apply). The HTTP endpoint maps the reason to a status;
 * the answer is the same whichever instance was asked.
 */
public class QueryException extends RuntimeException {

	private final Reason reason;

	private final @Nullable String validName;

	private final List<String> validValues;

	/**
	 * Creates an exception.
	 * @param reason why the query cannot be answered
	 * @param message what is wrong, and what to do
	 */
	public QueryException(Reason reason, String message) {
		this(reason, message, null, List.of());
	}

	/**
	 * Creates an exception that names the valid values.
	 * @param reason why the query cannot be answered
	 * @param message what is wrong
	 * @param validName what the valid values are (for example {@code "stores"})
	 * @param validValues the valid values
	 */
	public QueryException(Reason reason, String message, @Nullable String validName, List<String> validValues) {
		super(message);
		this.reason = reason;
		this.validName = validName;
		this.validValues = List.copyOf(validValues);
	}

	/**
	 * Why the query cannot be answered.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
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

	/**
	 * Whether asking again later may succeed.
	 * @return whether the reason is {@link Reason#UNAVAILABLE}
	 */
	public boolean isRetriable() {
		return this.reason == Reason.UNAVAILABLE;
	}

	static QueryException unavailable(String message) {
		return new QueryException(Reason.UNAVAILABLE, message);
	}

	static QueryException badRequest(String message) {
		return new QueryException(Reason.BAD_REQUEST, message);
	}

	static QueryException badRequest(String message, String validName, List<String> validValues) {
		return new QueryException(Reason.BAD_REQUEST, message, validName, validValues);
	}

	static QueryException notFound(String message) {
		return new QueryException(Reason.NOT_FOUND, message);
	}

	/**
	 * Why a query cannot be answered.
	 */
	public enum Reason {

		/** No such processor, store or key (HTTP 404). */
		NOT_FOUND,

		/**
		 * The query cannot be used as given: a parameter that cannot be parsed, a
		 * combination that means nothing, a query the store type does not answer (HTTP
		 * 400).
		 */
		BAD_REQUEST,

		/**
		 * Not answerable right now: the processor is starting, stopped, rebalancing or
		 * restoring, or the instance that holds the data cannot be reached; ask again
		 * (HTTP 503 with {@code Retry-After}).
		 */
		UNAVAILABLE,

		/**
		 * The instance that holds the data answered something that is not a query answer
		 * (HTTP 502).
		 */
		BAD_PEER_ANSWER,

		/** The store failed to answer (HTTP 500). */
		FAILED

	}

}
