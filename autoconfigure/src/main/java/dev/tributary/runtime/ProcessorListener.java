package dev.tributary.runtime;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Callbacks around a processor's {@code KafkaStreams} instances. Declare one as a bean
 * to bind metrics, register listeners or prepare topics; each start of a processor
 * creates a new {@code KafkaStreams}, so the callbacks can run several times.
 */
public interface ProcessorListener {

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

}
