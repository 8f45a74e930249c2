package dev.tributary.benchmarks.throughput;

import java.util.Properties;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;

/**
 * One way of running a topology: hand-wired {@code KafkaStreams}, or a Tributary
 * {@code @StreamProcessor} in a Spring Boot application. Both get the same workload and
 * the same Kafka Streams properties.
 *
 * <p>A run is prepared first (for Tributary: the Spring Boot application is started,
 * the processor not yet), then started, so that the benchmark can let the JVM settle in
 * between and neither variant's measured processing shares the machine with the JIT
 * compiling its set-up code.
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
	 * Prepares a run of the workload.
	 * @param workload the topology to run
	 * @param input the input topic
	 * @param output the output topic
	 * @param streamsProperties the Kafka Streams properties, {@code application.id} included
	 * @return the prepared run
	 */
	Prepared prepare(Workload workload, String input, String output, Properties streamsProperties);

	/**
	 * A run ready to start. Closing it stops everything it started.
	 */
	interface Prepared extends AutoCloseable {

		/**
		 * Builds the topology and its {@code KafkaStreams}, and starts it.
		 * @return the running instance
		 */
		Running start();

		@Override
		void close();

	}

	/**
	 * A started run.
	 *
	 * @param streams the running instance
	 * @param startedNanos the {@link System#nanoTime()} just before
	 * {@code KafkaStreams.start()} was called
	 * @param topology the topology the instance actually runs
	 * @param effectiveProperties the properties the instance was actually created with
	 */
	record Running(KafkaStreams streams, long startedNanos, TopologyDescription topology,
			Properties effectiveProperties) {
	}

}
