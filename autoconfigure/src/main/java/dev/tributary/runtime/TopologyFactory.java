package dev.tributary.runtime;

import java.util.Properties;

import org.apache.kafka.streams.Topology;

/**
 * Builds a processor's topology from its resolved Kafka Streams properties. Called once
 * to validate at start-up and again each time the processor starts, since a
 * {@code KafkaStreams} instance cannot be reused after it is closed.
 */
@FunctionalInterface
public interface TopologyFactory {

	/**
	 * Builds a new topology.
	 * @param streamsProperties the processor's resolved Kafka Streams properties
	 * @return a new topology
	 */
	Topology build(Properties streamsProperties);

	/**
	 * A factory that calls the topology method of a {@link dev.tributary.StreamProcessor}
	 * bean.
	 * @param processorName the processor's name, for error messages
	 * @param bean the annotated bean
	 * @return the factory
	 * @throws ProcessorConfigurationException if the bean does not have exactly one
	 * topology method
	 */
	static TopologyFactory forBean(String processorName, Object bean) {
		return TopologyMethod.find(processorName, bean);
	}

}
