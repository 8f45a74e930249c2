package dev.tributary.benchmarks.throughput;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Notes when Tributary starts the processor's {@code KafkaStreams}: the listener runs
 * right before {@code KafkaStreams.start()}, the moment the plain variant's clock starts.
 */
class StartClock implements ProcessorListener {

	private volatile long startedNanos;

	@Override
	public void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
		this.startedNanos = System.nanoTime();
	}

	long startedNanos() {
		if (this.startedNanos == 0) {
			throw new IllegalStateException("The processor has not been started");
		}
		return this.startedNanos;
	}

}
