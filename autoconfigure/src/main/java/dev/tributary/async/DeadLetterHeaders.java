package dev.tributary.async;

/**
 * The dead-letter headers an async step writes: Kafka Streams' own names, as Tributary's
 * other dead letters use, so one tool reads them all.
 */
final class DeadLetterHeaders {

	static final String EXCEPTION = "__streams.errors.exception";

	static final String MESSAGE = "__streams.errors.message";

	static final String STACKTRACE = "__streams.errors.stacktrace";

	static final String TOPIC = "__streams.errors.topic";

	static final String PARTITION = "__streams.errors.partition";

	static final String OFFSET = "__streams.errors.offset";

	static final String TIMESTAMP = "__streams.errors.timestamp";

	static final String PROCESSOR = "__streams.errors.processor";

	private DeadLetterHeaders() {
	}

}
