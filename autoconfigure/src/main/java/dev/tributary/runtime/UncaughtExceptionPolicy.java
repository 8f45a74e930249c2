package dev.tributary.runtime;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What a processor does when one of its stream threads dies of an exception that no
 * other handler dealt with.
 */
public enum UncaughtExceptionPolicy {

	/**
	 * Start a new stream thread in place of the dead one; the processor keeps running.
	 */
	REPLACE_THREAD(StreamThreadExceptionResponse.REPLACE_THREAD),

	/**
	 * Shut down this instance's {@code KafkaStreams} client; it ends in {@code ERROR}
	 * and reports unhealthy. Other instances of the application carry on.
	 */
	SHUTDOWN_CLIENT(StreamThreadExceptionResponse.SHUTDOWN_CLIENT),

	/**
	 * Shut down every instance of the Kafka Streams application (every client with the
	 * same application id); all end in {@code ERROR}.
	 */
	SHUTDOWN_APPLICATION(StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);

	private final StreamThreadExceptionResponse response;

	UncaughtExceptionPolicy(StreamThreadExceptionResponse response) {
		this.response = response;
	}

	StreamThreadExceptionResponse response() {
		return this.response;
	}

}
