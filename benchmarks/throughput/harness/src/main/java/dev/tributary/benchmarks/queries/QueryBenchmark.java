package dev.tributary.benchmarks.queries;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.tributary.benchmarks.Stats;

/**
 * Point lookups from one client thread, one after another (closed loop), over random
 * keys that are all in the store: lookups per second and latency percentiles.
 */
public final class QueryBenchmark {

	private static final int MAX_SAMPLES = 20_000_000;

	private final List<String> keys;

	private final Duration warmUp;

	private final Duration measurement;

	/**
	 * Creates the benchmark.
	 * @param keys the keys to look up, all present in the store
	 * @param warmUp how long to query before measuring
	 * @param measurement how long to measure
	 */
	public QueryBenchmark(List<String> keys, Duration warmUp, Duration measurement) {
		this.keys = keys;
		this.warmUp = warmUp;
		this.measurement = measurement;
	}

	/**
	 * Measures one query path.
	 * @param query the path
	 * @return the measurement
	 */
	public QueryResult measure(PointQuery query) {
		SplittableRandom random = new SplittableRandom(42);
		loop(query, random, this.warmUp, null);
		long[] latencies = new long[MAX_SAMPLES];
		long began = System.nanoTime();
		int count = loop(query, random, this.measurement, latencies);
		double seconds = (System.nanoTime() - began) / 1e9;
		Arrays.sort(latencies, 0, count);
		QueryResult result = new QueryResult(query.description(), count, count / seconds,
				Stats.percentile(latencies, count, 50) / 1e3, Stats.percentile(latencies, count, 99) / 1e3, null);
		System.out.printf(Locale.ROOT, "  %-80s %,10.0f lookups/s, p50 %,8.1f us, p99 %,8.1f us%n", query.description(),
				result.lookupsPerSecond(), result.p50Micros(), result.p99Micros());
		return result;
	}

	private int loop(PointQuery query, SplittableRandom random, Duration duration, long[] latencies) {
		long end = System.nanoTime() + duration.toNanos();
		int count = 0;
		while (count < MAX_SAMPLES) {
			String key = this.keys.get(random.nextInt(this.keys.size()));
			long start = System.nanoTime();
			Object value = query.get(key);
			long finish = System.nanoTime();
			if (value == null) {
				throw new IllegalStateException(query.description() + " found no value for '" + key
						+ "', which is in the store");
			}
			if (latencies != null) {
				latencies[count] = finish - start;
			}
			count++;
			if (finish > end) {
				break;
			}
		}
		return count;
	}

}
