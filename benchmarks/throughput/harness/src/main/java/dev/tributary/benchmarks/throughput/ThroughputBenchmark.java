package dev.tributary.benchmarks.throughput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.tributary.benchmarks.BenchmarkBroker;
import dev.tributary.benchmarks.throughput.InputLoader.Input;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsBuilder;

import org.springframework.util.FileSystemUtils;

/**
 * Runs each topology with a baseline and a candidate variant (plain Kafka Streams and
 * Tributary; or plain twice, to see how much two identical runs differ on this machine),
 * alternating the order every round (baseline, candidate, candidate, baseline, ...),
 * each run with a fresh application id consuming the pre-loaded input from the
 * beginning.
 */
public final class ThroughputBenchmark {

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

	private final BenchmarkBroker broker;

	private final Path stateDir;

	private final Variant baseline;

	private final Variant candidate;

	private final CompletionWatcher watcher;

	/**
	 * Creates the benchmark.
	 * @param broker the broker
	 * @param stateDir the parent of every run's state directory
	 * @param baseline the variant measured against
	 * @param candidate the variant measured
	 */
	public ThroughputBenchmark(BenchmarkBroker broker, Path stateDir, Variant baseline, Variant candidate) {
		this.broker = broker;
		this.stateDir = stateDir;
		this.baseline = baseline;
		this.candidate = candidate;
		this.watcher = new CompletionWatcher(broker);
	}

	/**
	 * Untimed runs of both variants, alternating, before any measurement: a fresh JVM
	 * keeps getting faster for a good while (class loading, JIT compilation of the
	 * clients, the broker and Spring), which would favour whichever variant runs later.
	 * @param input a small input
	 * @param runs runs per variant
	 */
	public void warmUp(Input input, int runs) {
		for (int run = 0; run < runs; run++) {
			for (Variant variant : List.of(this.baseline, this.candidate)) {
				run(variant, Workload.PASS_THROUGH, Guarantee.AT_LEAST_ONCE, input, "jvm-warmup");
			}
		}
	}

	/**
	 * Measures one topology at one guarantee.
	 * @param workload the topology
	 * @param guarantee the processing guarantee
	 * @param input the pre-loaded input
	 * @param warmUpInput a smaller input for one untimed run of each variant first, so
	 * that no measured run pays for the case's first JIT compilation (the topology's
	 * operators, RocksDB, the broker's transaction handling)
	 * @param rounds how many rounds; each runs both variants
	 * @return the measurements
	 */
	public CaseResult measure(Workload workload, Guarantee guarantee, Input input, Input warmUpInput, int rounds) {
		long began = System.nanoTime();
		run(this.baseline, workload, guarantee, warmUpInput, "warmup-a");
		run(this.candidate, workload, guarantee, warmUpInput, "warmup-b");
		List<RunResult> baselineRuns = new ArrayList<>();
		List<RunResult> candidateRuns = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			boolean baselineFirst = round % 2 == 0;
			if (baselineFirst) {
				baselineRuns.add(run(this.baseline, workload, guarantee, input, "r" + round + "a"));
			}
			candidateRuns.add(run(this.candidate, workload, guarantee, input, "r" + round + "b"));
			if (!baselineFirst) {
				baselineRuns.add(run(this.baseline, workload, guarantee, input, "r" + round + "a"));
			}
			RunResult a = baselineRuns.get(round);
			RunResult b = candidateRuns.get(round);
			System.out.printf(Locale.ROOT,
					"  %-14s %-15s round %d/%d: %s %,9.0f rec/s, %s %,9.0f rec/s, ratio %.3f "
							+ "| with start-up %.3f | CPU per record %.3f%n",
					workload.id(), guarantee.config(), round + 1, rounds, this.baseline.name(), a.rateFromRunning(),
					this.candidate.name(), b.rateFromRunning(), b.rateFromRunning() / a.rateFromRunning(),
					b.rateFromStart() / a.rateFromStart(), b.cpuMicrosPerRecord() / a.cpuMicrosPerRecord());
		}
		System.out.printf(Locale.ROOT, "  (%d rounds in %.0f s)%n", rounds, (System.nanoTime() - began) / 1e9);
		return new CaseResult(workload, guarantee, input.records(), this.baseline.name(), this.candidate.name(),
				baselineRuns, candidateRuns);
	}

	/**
	 * Runs a workload to completion, then hands the still running application to an
	 * action (to query its stores, for example), then stops it and removes its topics
	 * and state.
	 * @param <T> the action's result
	 * @param variant how to run the workload
	 * @param workload the topology
	 * @param guarantee the processing guarantee
	 * @param input the pre-loaded input
	 * @param extraProperties Kafka Streams properties to add for this run
	 * @param action what to do with the running application
	 * @return the action's result
	 */
	public <T> T afterRun(Variant variant, Workload workload, Guarantee guarantee, Input input,
			Map<String, String> extraProperties, Function<Variant.Running, T> action) {
		return execute(variant, workload, guarantee, input, "after", extraProperties,
				(running, done) -> action.apply(running));
	}

	private RunResult run(Variant variant, Workload workload, Guarantee guarantee, Input input, String label) {
		return execute(variant, workload, guarantee, input, label, Map.of(), (running, done) -> new RunResult(
				input.records(), running.startedNanos(), done.runningNanos(), done.doneNanos(), done.cpuNanos()));
	}

	private <T> T execute(Variant variant, Workload workload, Guarantee guarantee, Input input, String label,
			Map<String, String> extraProperties, BiFunction<Variant.Running, CompletionWatcher.Completion, T> action) {
		String applicationId = String.join("-", "bench", workload.id(), guarantee.name().toLowerCase(Locale.ROOT),
				variant.id(), label, UUID.randomUUID().toString().substring(0, 8));
		String output = applicationId + "-output";
		this.broker.createTopics(output);
		Properties properties = StreamsSettings.forRun(this.broker.bootstrapServers(), applicationId, guarantee,
				this.stateDir);
		properties.putAll(extraProperties);
		try (Variant.Prepared prepared = variant.prepare(workload, input.topic(), output, properties)) {
			Quiesce.await();
			Variant.Running running = prepared.start();
			checkSameAsGiven(variant, workload, input.topic(), output, properties, running);
			CompletionWatcher.Completion done = this.watcher.awaitCommitted(applicationId, running.streams(),
					input.endOffsets(), RUN_TIMEOUT);
			checkOutput(workload, output, input.records());
			return action.apply(running, done);
		}
		finally {
			this.broker.deleteTopicsStartingWith(applicationId);
			deleteState(applicationId);
		}
	}

	/**
	 * The comparison is only fair if every variant runs the topology it was given with
	 * the properties it was given.
	 */
	private static final List<String> ERROR_HANDLING_KEYS = List.of("deserialization.exception.handler",
			"processing.exception.handler", "production.exception.handler", "tributary.errors.settings");

	private static void checkSameAsGiven(Variant variant, Workload workload, String input, String output,
			Properties properties, Variant.Running running) {
		Set<String> differences = new java.util.TreeSet<>(
				StreamsSettings.differences(properties, running.effectiveProperties()));
		// Tributary installs its dead-letter exception handlers by default; they only run for
		// records that fail, which no benchmark input does, so they cost nothing here.
		differences.removeIf((difference) -> ERROR_HANDLING_KEYS.stream().anyMatch(difference::startsWith));
		if (!differences.isEmpty()) {
			throw new IllegalStateException(variant.name() + " ran with other Kafka Streams properties than it was "
					+ "given, so the comparison would not be fair: " + differences);
		}
		StreamsBuilder reference = new StreamsBuilder();
		workload.define(reference, input, output);
		String expected = reference.build().describe().toString();
		String actual = running.topology().toString();
		if (!expected.equals(actual)) {
			throw new IllegalStateException(variant.name() + " ran another topology than it was given, so the "
					+ "comparison would not be fair; expected:\n" + expected + "\nactual:\n" + actual);
		}
	}

	/**
	 * A cheap check that the run did its work: pass-through writes at least one output
	 * record per input record, the aggregations write some.
	 */
	private void checkOutput(Workload workload, String output, int records) {
		Map<TopicPartition, Long> ends = this.broker.endOffsets(List.of(output));
		long written = ends.values().stream().mapToLong(Long::longValue).sum();
		long expected = (workload == Workload.PASS_THROUGH) ? records : 1;
		if (written < expected) {
			throw new IllegalStateException("Output " + output + " holds " + written + " records; expected at least "
					+ expected);
		}
	}

	private void deleteState(String applicationId) {
		try {
			FileSystemUtils.deleteRecursively(this.stateDir.resolve(applicationId));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
