package dev.tributary.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics of a handful of measurements.
 */
public final class Stats {

	private Stats() {
	}

	/**
	 * The median: the middle value, or the mean of the two middle values.
	 * @param values the measurements, not empty
	 * @return the median
	 */
	public static double median(List<Double> values) {
		double[] sorted = sorted(values);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/**
	 * The smallest value.
	 * @param values the measurements, not empty
	 * @return the minimum
	 */
	public static double min(List<Double> values) {
		return sorted(values)[0];
	}

	/**
	 * The largest value.
	 * @param values the measurements, not empty
	 * @return the maximum
	 */
	public static double max(List<Double> values) {
		double[] sorted = sorted(values);
		return sorted[sorted.length - 1];
	}

	/**
	 * A percentile, nearest-rank.
	 * @param values the measurements, not empty
	 * @param percentile between 0 and 100
	 * @return the value at that percentile
	 */
	public static double percentile(List<Double> values, double percentile) {
		double[] sorted = sorted(values);
		int rank = (int) Math.ceil(percentile / 100 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	/**
	 * A percentile of sorted nanosecond latencies, nearest-rank.
	 * @param sortedNanos latencies in ascending order, not empty
	 * @param length how many entries of the array are used
	 * @param percentile between 0 and 100
	 * @return the latency at that percentile
	 */
	public static long percentile(long[] sortedNanos, int length, double percentile) {
		int rank = (int) Math.ceil(percentile / 100 * length);
		return sortedNanos[Math.max(0, Math.min(length - 1, rank - 1))];
	}

	private static double[] sorted(List<Double> values) {
		if (values.isEmpty()) {
			throw new IllegalArgumentException("no measurements");
		}
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(sorted);
		return sorted;
	}

}
