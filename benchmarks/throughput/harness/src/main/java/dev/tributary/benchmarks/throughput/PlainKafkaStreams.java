package dev.tributary.benchmarks.throughput;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

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
	public Prepared prepare(Workload workload, String input, String output, Properties streamsProperties) {
		return new Prepared() {

			private KafkaStreams streams;

			@Override
			public Running start() {
				StreamsBuilder builder = new StreamsBuilder();
				workload.define(builder, input, output);
				Topology topology = builder.build();
				this.streams = new KafkaStreams(topology, streamsProperties);
				long started = System.nanoTime();
				this.streams.start();
				return new Running(this.streams, started, topology.describe(), streamsProperties);
			}

			@Override
			public void close() {
				if (this.streams != null) {
					// As Tributary closes a processor, so both take equally long to go.
					this.streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
						.withGroupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP));
				}
			}

		};
	}

}
