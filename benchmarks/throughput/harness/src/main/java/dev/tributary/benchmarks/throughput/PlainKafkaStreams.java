package dev.tributary.benchmarks.throughput;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The baseline: the topology wired by hand, as in the Kafka Streams documentation.
 */
public final class PlainKafkaStreams implements Variant {

	@Override
	public String name() {
		return "plain Kafka Streams";
	}

	@Override
	public String id() {
		return "plain";
	}

	@Override
	public Running start(Workload workload, String input, String output, Properties streamsProperties) {
		StreamsBuilder builder = new StreamsBuilder();
		workload.define(builder, input, output);
		Topology topology = builder.build();
		KafkaStreams streams = new KafkaStreams(topology, streamsProperties);
		long started = System.nanoTime();
		streams.start();
		return new Running() {

			@Override
			public long startedNanos() {
				return started;
			}

			@Override
			public KafkaStreams streams() {
				return streams;
			}

			@Override
			public TopologyDescription topology() {
				return topology.describe();
			}

			@Override
			public Properties effectiveProperties() {
				return streamsProperties;
			}

			@Override
			public void close() {
				// As Tributary closes a processor, so both take equally long to go.
				streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
					.withGroupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP));
			}

		};
	}

}
