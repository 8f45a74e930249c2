package dev.tributary.async;

/**
 * Stops an async step's worker: a call that finally failed under the {@code fail} error
 * choice, a result that cannot be serialized, or a write to Kafka that failed for good.
 */
public class AsyncStepException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what failed, naming the step and processor
	 * @param cause the error
	 */
	public AsyncStepException(String message, Throwable cause) {
		super(message + ": " + cause, cause);
	}

}
