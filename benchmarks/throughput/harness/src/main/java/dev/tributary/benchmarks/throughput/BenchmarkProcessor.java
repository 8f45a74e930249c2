package dev.tributary.benchmarks.throughput;

import dev.tributary.StreamProcessor;
import org.apache.kafka.streams.StreamsBuilder;

import org.springframework.beans.factory.annotation.Value;

/**
 * The workload's topology as a user writes a processor.
 */
@StreamProcessor(BenchmarkProcessor.NAME)
class BenchmarkProcessor {

	static final String NAME = "benchmark";

	private final Workload workload;

	private final String input;

	private final String output;

	BenchmarkProcessor(@Value("${benchmark.workload}") Workload workload, @Value("${benchmark.input}") String input,
			@Value("${benchmark.output}") String output) {
		this.workload = workload;
		this.input = input;
		this.output = output;
	}

	void topology(StreamsBuilder builder) {
		this.workload.define(builder, this.input, this.output);
	}

}
