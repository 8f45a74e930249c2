package dev.tributary.runtime;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Callbacks around a processor's {@code KafkaStreams} instances. Declare one as a bean
 * to bind metrics, register listeners or prepare topics; each start of a processor
 * creates a new {@code KafkaStreams}, so the callbacks can run several times.
 * Callbacks run on Kafka Streams' threads where noted: keep them quick.
 */
public interface ProcessorListener {

	/**
	 * Called before each start of a processor, with the Kafka Streams properties its new
	 * {@code KafkaStreams} will be created with; may add or change properties that are
	 * only known at run time (for example {@code application.server} once the web
	 * server's port is known).
	 * @param processor the processor
	 * @param streamsProperties the properties, to change in place
	 */
	default void configure(ManagedProcessor processor, java.util.Properties streamsProperties) {
	}

	/**
	 * Called after a processor's {@code KafkaStreams} is created and before it starts.
	 * @param processor the processor
	 * @param topology the topology the instance runs
	 * @param streams the new instance, in state {@code CREATED}
	 */
	default void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
	}

	/**
	 * Called after a processor's {@code KafkaStreams} has been closed.
	 * @param processor the processor
	 * @param streams the closed instance
	 */
	default void streamsClosed(ManagedProcessor processor, KafkaStreams streams) {
	}

	/**
	 * Called when a processor's {@code KafkaStreams} changes state, on the thread that
	 * changed it.
	 * @param processor the processor
	 * @param newState the new state
	 * @param oldState the previous state
	 */
	default void stateChanged(ManagedProcessor processor, KafkaStreams.State newState, KafkaStreams.State oldState) {
	}

	/**
	 * Called when one of a processor's stream threads dies of an uncaught exception,
	 * on that thread, before the uncaught-exception policy applies.
	 * @param processor the processor
	 * @param exception the exception
	 */
	default void uncaughtException(ManagedProcessor processor, Throwable exception) {
	}

	/**
	 * Called when a processor's dead stream thread is about to be replaced under the
	 * {@code REPLACE_THREAD} policy (and within its {@link CrashLoopLimit}), on the dead
	 * thread.
	 * @param processor the processor
	 * @param exception the exception that killed the thread
	 */
	default void threadReplaced(ManagedProcessor processor, Throwable exception) {
	}

	/**
	 * Whether an exception that killed one of a processor's stream threads would kill a
	 * new one too, for example a write to a topic the cluster refuses for good: the
	 * replaced thread would re-read the same record and fail the same way, for ever. If
	 * any listener says so, the processor shuts down whatever its uncaught-exception
	 * policy. Called on the dying thread.
	 * @param processor the processor
	 * @param exception the exception
	 * @return whether replacing the thread cannot help
	 */
	default boolean isUnrecoverable(ManagedProcessor processor, Throwable exception) {
		return false;
	}

}
