package dev.tributary.query.peer;

/**
 * A forwarded query that got no answer from the other instance on Tributary's internal
 * peer channel (see the package description). The message names the instance and what
 * went wrong, never text the other side sent.
 */
public class PeerException extends RuntimeException {

	/**
	 * Why there is no answer.
	 */
	public enum Kind {

		/** The instance could not be reached: connection refused or timed out, TLS or I/O failure. */
		UNREACHABLE,

		/** The instance did not answer in time. */
		TIMEOUT,

		/** The answer was larger than {@code tributary.query.peer.max-response-size}. */
		TOO_LARGE,

		/**
		 * The answer was not signed with the shared secret: something else answered (a
		 * proxy's page, a security filter's 401), or the instances' secrets differ.
		 */
		NOT_A_PEER_ANSWER

	}

	private final Kind kind;

	private final String host;

	/**
	 * Creates an exception.
	 * @param kind why there is no answer
	 * @param host the instance asked, as {@code host:port}
	 * @param message what went wrong, naming the instance
	 * @param cause the underlying failure, or {@code null}
	 */
	public PeerException(Kind kind, String host, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.host = host;
	}

	/**
	 * Creates an exception.
	 * @param kind why there is no answer
	 * @param host the instance asked, as {@code host:port}
	 * @param message what went wrong, naming the instance
	 */
	public PeerException(Kind kind, String host, String message) {
		super(message);
		this.kind = kind;
		this.host = host;
	}

	/**
	 * Why there is no answer.
	 * @return the kind of failure
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * The instance asked.
	 * @return its address, as {@code host:port}
	 */
	public String getHost() {
		return this.host;
	}

}
