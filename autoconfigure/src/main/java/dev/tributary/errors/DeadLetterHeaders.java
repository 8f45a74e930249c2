package dev.tributary.errors;

/**
 * The headers of the dead letters Tributary writes, for tools that read dead-letter topics:
 * Kafka Streams' own {@code __streams.errors.*} names, plus the processor, the failed
 * node and task, the kind of failure, and, for async steps, the step.
 */
public final class DeadLetterHeaders {

	/** The prefix of every error header; Kafka Streams copies headers from input to output. */
	public static final String NAMESPACE = "__streams.errors.";

	/** The class name of the exception. */
	public static final String EXCEPTION = NAMESPACE + "exception";

	/** The exception's message. */
	public static final String MESSAGE = NAMESPACE + "message";

	/** The exception's stack trace, cut at 8 KB. */
	public static final String STACKTRACE = NAMESPACE + "stacktrace";

	/** The topic the failed record was read from. */
	public static final String TOPIC = NAMESPACE + "topic";

	/** The partition the failed record was read from. */
	public static final String PARTITION = NAMESPACE + "partition";

	/** The offset of the failed record. */
	public static final String OFFSET = NAMESPACE + "offset";

	/** The failed record's timestamp. */
	public static final String TIMESTAMP = NAMESPACE + "timestamp";

	/** The name of the processor ({@code @StreamProcessor}) that failed. */
	public static final String PROCESSOR = NAMESPACE + "processor";

	/** The topology node that failed: a processor, a sink, or the node of a punctuator. */
	public static final String NODE = NAMESPACE + "node";

	/** The Kafka Streams task that failed, for example {@code 0_1}. */
	public static final String TASK = NAMESPACE + "task";

	/** For results that failed to be produced: the topic they were meant for. */
	public static final String OUTPUT_TOPIC = NAMESPACE + "output.topic";

	/** For records an async step could not handle: the step's name. */
	public static final String ASYNC_STEP = "__tributary.async.step";

	/**
	 * Where the record failed: {@code deserialization}, {@code processing} or
	 * {@code production} ({@link ErrorKind#tag()}); an async step's failed call is
	 * {@code processing}.
	 */
	public static final String KIND = "__tributary.errors.kind";

	private DeadLetterHeaders() {
	}

	/**
	 * Whether a header says what failed where (rather than being one of the record's
	 * own): such headers of a record that fails again are replaced, not repeated.
	 * @param name the header name
	 * @return whether it is one of the error headers
	 */
	public static boolean isErrorHeader(String name) {
		return name.startsWith(NAMESPACE) || name.equals(KIND) || name.equals(ASYNC_STEP);
	}

}
