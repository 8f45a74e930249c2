package dev.tributary.benchmarks.queries;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import dev.tributary.benchmarks.Stats;
import dev.tributary.benchmarks.queries.CpuMeter.CpuUse;
import dev.tributary.benchmarks.queries.CpuMeter.Snapshot;

/**
 * Point lookups from a number of client threads at once, each one lookup after another
 * (closed loop), over random keys that are all in the store: lookups per second of all
 * clients together, latency percentiles over every lookup, and where the CPU went.
 *
 * <p>All clients start together and query through a warm-up, then through the measured
 * interval; a lookup counts if it started after the warm-up and ended within the
 * interval. The client threads are named {@code query-client-N}.
 */
public final class QueryBenchmark {

	/**
	 * The prefix of the client threads' names, for {@link CpuMeter} classifiers.
	 */
	public static final String CLIENT_THREAD_PREFIX = "query-client";

	private final Duration warmUp;

	private final Duration measurement;

	private final CpuMeter cpu;

	/**
	 * Creates the benchmark.
	 * @param warmUp how long to query before measuring
	 * @param measurement how long to measure
	 * @param cpu the meter that attributes CPU to threads; its classifier should put the
	 * threads named {@link #CLIENT_THREAD_PREFIX}... into {@link QueryResult#CLIENT}
	 */
	public QueryBenchmark(Duration warmUp, Duration measurement, CpuMeter cpu) {
		this.warmUp = warmUp;
		this.measurement = measurement;
		this.cpu = cpu;
	}

	/**
	 * Queries without measuring, for the warm-up duration: to warm the JIT up before the
	 * first round.
	 * @param query the path
	 * @param keys the keys to look up, all present in the store
	 * @param clients how many client threads
	 */
	public void warmUp(PointQuery query, List<String> keys, int clients) {
		warmUp(query, keys, clients, Duration.ZERO);
	}

	/**
	 * Queries without measuring, for the warm-up duration and then some more.
	 * @param query the path
	 * @param keys the keys to look up, all present in the store
	 * @param clients how many client threads
	 * @param more how long to query after the warm-up duration
	 */
	public void warmUp(PointQuery query, List<String> keys, int clients, Duration more) {
		run(query, keys, clients, more, Interval.NONE);
	}

	/**
	 * Measures one query path.
	 * @param query the path
	 * @param keys the keys to look up, all present in the store
	 * @param clients how many client threads query at once
	 * @param round the round, for the report
	 * @return the measurement
	 */
	public QueryResult measure(PointQuery query, List<String> keys, int clients, int round) {
		return measure(query, keys, clients, round, Interval.NONE);
	}

	/**
	 * Measures one query path, telling a listener when the measured interval starts and
	 * ends (to profile that interval). The listener is told after the CPU snapshot at either
	 * end, so its own work (mostly) falls outside the measured CPU.
	 * @param query the path
	 * @param keys the keys to look up, all present in the store
	 * @param clients how many client threads query at once
	 * @param round the round, for the report
	 * @param interval told when the measured interval starts and ends
	 * @return the measurement
	 */
	public QueryResult measure(PointQuery query, List<String> keys, int clients, int round, Interval interval) {
		Run run = run(query, keys, clients, this.measurement, interval);
		long[] latencies = run.latencies();
		int count = latencies.length;
		if (count == 0) {
			throw new IllegalStateException(query.description() + " completed no lookup in " + this.measurement);
		}
		Arrays.sort(latencies);
		double seconds = this.measurement.toNanos() / 1e9;
		QueryResult result = new QueryResult(query.description(), clients, round, count, count / seconds,
				Stats.percentile(latencies, count, 50) / 1e3, Stats.percentile(latencies, count, 99) / 1e3, run.cpu());
		print(result);
		return result;
	}

	private Run run(PointQuery query, List<String> keys, int clients, Duration measuredFor, Interval interval) {
		long began = System.nanoTime();
		long measureFrom = began + this.warmUp.toNanos();
		long measureTo = measureFrom + measuredFor.toNanos();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		// The clients stay alive until the CPU snapshot at the end is taken, so their CPU is in it.
		CountDownLatch snapshotTaken = new CountDownLatch(1);
		Client[] workers = new Client[clients];
		Thread[] threads = new Thread[clients];
		for (int i = 0; i < clients; i++) {
			workers[i] = new Client(query, keys, new SplittableRandom(42 + i), measureFrom, measureTo, failure,
					snapshotTaken);
			threads[i] = new Thread(workers[i], CLIENT_THREAD_PREFIX + "-" + (i + 1));
			threads[i].setDaemon(true);
		}
		for (Thread thread : threads) {
			thread.start();
		}
		parkUntil(measureFrom, failure);
		Snapshot start = this.cpu.snapshot();
		interval.started();
		parkUntil(measureTo, failure);
		Snapshot end = this.cpu.snapshot();
		snapshotTaken.countDown();
		interval.ended();
		for (Thread thread : threads) {
			join(thread, failure);
		}
		Throwable failed = failure.get();
		if (failed != null) {
			throw new IllegalStateException(query.description() + " failed with " + clients + " clients", failed);
		}
		int total = Arrays.stream(workers).mapToInt(Client::count).sum();
		long[] latencies = new long[total];
		int offset = 0;
		for (Client worker : workers) {
			System.arraycopy(worker.latencies(), 0, latencies, offset, worker.count());
			offset += worker.count();
		}
		return new Run(latencies, this.cpu.between(start, end));
	}

	private static void parkUntil(long deadline, AtomicReference<Throwable> failure) {
		long left;
		while ((left = deadline - System.nanoTime()) > 0 && failure.get() == null) {
			LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
		}
	}

	private static void join(Thread thread, AtomicReference<Throwable> failure) {
		try {
			thread.join(TimeUnit.SECONDS.toMillis(60));
			if (thread.isAlive()) {
				failure.compareAndSet(null, new IllegalStateException(thread.getName()
						+ " still waits for an answer 60 s after the measurement ended"));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			failure.compareAndSet(null, ex);
		}
	}

	private static void print(QueryResult result) {
		CpuUse cpu = result.cpu();
		String groups = cpu.groups()
			.entrySet()
			.stream()
			.filter((group) -> group.getValue() >= 0.005)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.map((group) -> String.format(Locale.ROOT, "%s %.2f", group.getKey(), group.getValue()))
			.collect(Collectors.joining(", "));
		System.out.printf(Locale.ROOT,
				"  round %d, %2d client(s): %-62s %,9.0f lookups/s, p50 %,9.1f us, p99 %,9.1f us%n"
						+ "      CPU: per lookup server %,.1f us, client %,.1f us; cores: JVM %.2f, other processes %.2f; "
						+ "threads: %s%n",
				result.round(), result.clients(), result.description(), result.lookupsPerSecond(), result.p50Micros(),
				result.p99Micros(), result.serverCpuMicrosPerLookup(), result.clientCpuMicrosPerLookup(), cpu.process(),
				cpu.otherProcesses(), groups);
	}

	/**
	 * Told when the measured interval of a measurement starts and ends.
	 */
	public interface Interval {

		/**
		 * Does nothing.
		 */
		Interval NONE = new Interval() {
		};

		/**
		 * The warm-up is over; the measured interval starts.
		 */
		default void started() {
		}

		/**
		 * The measured interval is over.
		 */
		default void ended() {
		}

	}

	private record Run(long[] latencies, CpuUse cpu) {
	}

	/**
	 * One client thread: lookups one after another until the measured interval ends.
	 */
	private static final class Client implements Runnable {

		private final PointQuery query;

		private final List<String> keys;

		private final SplittableRandom random;

		private final long measureFrom;

		private final long measureTo;

		private final AtomicReference<Throwable> failure;

		private final CountDownLatch snapshotTaken;

		private long[] latencies = new long[1 << 14];

		private int count;

		Client(PointQuery query, List<String> keys, SplittableRandom random, long measureFrom, long measureTo,
				AtomicReference<Throwable> failure, CountDownLatch snapshotTaken) {
			this.query = query;
			this.keys = keys;
			this.random = random;
			this.measureFrom = measureFrom;
			this.measureTo = measureTo;
			this.failure = failure;
			this.snapshotTaken = snapshotTaken;
		}

		@Override
		public void run() {
			try {
				while (this.failure.get() == null) {
					String key = this.keys.get(this.random.nextInt(this.keys.size()));
					long start = System.nanoTime();
					Object value = this.query.get(key);
					long finish = System.nanoTime();
					if (value == null) {
						throw new IllegalStateException(this.query.description() + " found no value for '" + key
								+ "', which is in the store");
					}
					if (start >= this.measureFrom && finish <= this.measureTo) {
						record(finish - start);
					}
					if (finish >= this.measureTo) {
						break;
					}
				}
				this.snapshotTaken.await();
			}
			catch (Throwable ex) {
				this.failure.compareAndSet(null, ex);
			}
		}

		private void record(long nanos) {
			if (this.count == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.count * 2);
			}
			this.latencies[this.count++] = nanos;
		}

		long[] latencies() {
			return this.latencies;
		}

		int count() {
			return this.count;
		}

	}

}
