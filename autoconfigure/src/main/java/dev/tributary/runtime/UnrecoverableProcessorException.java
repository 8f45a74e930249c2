package dev.tributary.runtime;

/**
 * A failure that a new stream thread would only meet again, for example a dead letter
 * that cannot be written: the replaced thread would re-read the same record and fail the
 * same way, for ever. Thrown by Tributary's own exception handlers; when it is the cause
 * of a stream thread's death the processor's client shuts down (it ends in
 * {@code ERROR} and health reports it) whatever its uncaught-exception policy says.
 *
 * <p>Kafka Streams wraps it in exceptions of its own and reports the innermost cause
 * last, so it carries the Kafka error it stands for in its message and as a suppressed
 * exception rather than as its cause: health details show this message, not Kafka's.
 */
public class UnrecoverableProcessorException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what failed, where, and what would fix it
	 * @param error the Kafka error behind it, kept as a suppressed exception
	 */
	public UnrecoverableProcessorException(String message, Throwable error) {
		super(message);
		addSuppressed(error);
	}

	/**
	 * Whether an exception is, or was caused by, an {@code UnrecoverableProcessorException}.
	 * @param exception the exception that killed a stream thread
	 * @return whether replacing the thread would fail again
	 */
	public static boolean isCauseOf(Throwable exception) {
		// Bounded: a cause chain can, in theory, be a cycle.
		Throwable cause = exception;
		for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
			if (cause instanceof UnrecoverableProcessorException) {
				return true;
			}
		}
		return false;
	}

}
