package dev.tributary.benchmarks.throughput;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.tributary.benchmarks.Stats;

/**
 * The runs of one topology at one guarantee. Round {@code i} of both lists ran back to
 * back.
 *
 * @param workload the topology
 * @param guarantee the processing guarantee
 * @param records input records per run
 * @param baselineName the baseline's name
 * @param candidateName the candidate's name
 * @param baseline the runs of the baseline (plain Kafka Streams), by round
 * @param candidate the runs of the candidate (Tributary), by round
 */
public record CaseResult(Workload workload, Guarantee guarantee, int records, String baselineName,
		String candidateName, List<RunResult> baseline,
		List<RunResult> candidate) {

	/**
	 * A metric of each baseline run.
	 * @param metric the metric
	 * @return its value by round
	 */
	public List<Double> baseline(ToDoubleFunction<RunResult> metric) {
		return this.baseline.stream().map(metric::applyAsDouble).toList();
	}

	/**
	 * A metric of each candidate run.
	 * @param metric the metric
	 * @return its value by round
	 */
	public List<Double> candidate(ToDoubleFunction<RunResult> metric) {
		return this.candidate.stream().map(metric::applyAsDouble).toList();
	}

	/**
	 * The candidate's value of a metric divided by the baseline's in the same round:
	 * pairing runs that ran back to back cancels most of the drift a busy machine causes.
	 * @param metric the metric
	 * @return the ratio by round
	 */
	public List<Double> ratios(ToDoubleFunction<RunResult> metric) {
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < this.baseline.size(); round++) {
			ratios.add(metric.applyAsDouble(this.candidate.get(round)) / metric.applyAsDouble(this.baseline.get(round)));
		}
		return ratios;
	}

	/**
	 * The median of the per-round ratios of a metric.
	 * @param metric the metric
	 * @return the median ratio
	 */
	public double medianRatio(ToDoubleFunction<RunResult> metric) {
		return Stats.median(ratios(metric));
	}

}
