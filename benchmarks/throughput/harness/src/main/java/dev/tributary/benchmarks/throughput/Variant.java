package dev.tributary.benchmarks.throughput;

import java.util.Properties;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;

/**
 * One way of running a topology: hand-wired {@code KafkaStreams}, or a Tributary
 * {@code @StreamProcessor} in a Spring Boot application. Both get the same workload and
 * the same Kafka Streams properties.
 */
public interface Variant {

	/**
	 * The variant's name in the report.
	 * @return the name
	 */
	String name();

	/**
	 * A short name for application ids.
	 * @return the id
	 */
	String id();

	/**
	 * Builds the workload's topology and starts it.
	 * @param workload the topology to run
	 * @param input the input topic
	 * @param output the output topic
	 * @param streamsProperties the Kafka Streams properties, {@code application.id} included
	 * @return the running application
	 */
	Running start(Workload workload, String input, String output, Properties streamsProperties);

	/**
	 * A started application.
	 */
	interface Running extends AutoCloseable {

		/**
		 * The {@link System#nanoTime()} just before {@code KafkaStreams.start()} was called.
		 * @return the start time
		 */
		long startedNanos();

		/**
		 * The running instance.
		 * @return the instance
		 */
		KafkaStreams streams();

		/**
		 * The topology the {@code KafkaStreams} actually runs.
		 * @return its description
		 */
		TopologyDescription topology();

		/**
		 * The properties the {@code KafkaStreams} was actually created with.
		 * @return the effective properties
		 */
		Properties effectiveProperties();

		/**
		 * Stops the application.
		 */
		@Override
		void close();

	}

}
