package dev.tributary.benchmarks.throughput;

/**
 * One timed run: when its {@code KafkaStreams} was started, first seen {@code RUNNING}
 * (group joined, tasks assigned) and seen to have committed all input, as
 * {@link System#nanoTime()}.
 *
 * @param records input records
 * @param startedNanos {@code KafkaStreams.start()} called
 * @param runningNanos first seen {@code RUNNING}
 * @param doneNanos all input seen committed
 * @param cpuNanos CPU time the process used from {@code RUNNING} to all committed
 */
public record RunResult(int records, long startedNanos, long runningNanos, long doneNanos, long cpuNanos) {

	/**
	 * Records per second from {@code start()} to all committed, start-up included.
	 * @return the rate
	 */
	public double rateFromStart() {
		return this.records / seconds(this.doneNanos - this.startedNanos);
	}

	/**
	 * Records per second from {@code RUNNING} to all committed: processing alone.
	 * @return the rate
	 */
	public double rateFromRunning() {
		return this.records / seconds(this.doneNanos - this.runningNanos);
	}

	/**
	 * Process CPU time per record from {@code RUNNING} to all committed.
	 * @return microseconds of CPU per record
	 */
	public double cpuMicrosPerRecord() {
		return this.cpuNanos / 1e3 / this.records;
	}

	/**
	 * Seconds from {@code start()} to {@code RUNNING}.
	 * @return the time
	 */
	public double secondsToRunning() {
		return seconds(this.runningNanos - this.startedNanos);
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

}
