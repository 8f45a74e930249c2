package dev.tributary.async;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * What one async step on this instance is doing and has done since its processor
 * started: read by health, the {@code streams} endpoint and metrics, written by the
 * step's threads.
 */
public final class AsyncStepStats {

	private final String processor;

	private final String step;

	final AtomicInteger inFlight = new AtomicInteger();

	final AtomicInteger buffered = new AtomicInteger();

	final AtomicLong bufferedBytes = new AtomicLong();

	final AtomicInteger pausedPartitions = new AtomicInteger();

	final LongAdder succeeded = new LongAdder();

	final LongAdder failed = new LongAdder();

	final LongAdder timedOut = new LongAdder();

	final LongAdder retries = new LongAdder();

	final LongAdder deadLettered = new LongAdder();

	final LongAdder skipped = new LongAdder();

	final LongAdder assignments = new LongAdder();

	final LongAdder latencyNanos = new LongAdder();

	final LongAdder latencyCount = new LongAdder();

	private volatile @Nullable Throwable failure;

	private volatile boolean running;

	private volatile LongConsumer latencyListener = (nanos) -> {
	};

	AsyncStepStats(String processor, String step) {
		this.processor = processor;
		this.step = step;
	}

	/** @return the processor's name */
	public String processor() {
		return this.processor;
	}

	/** @return the step's name */
	public String step() {
		return this.step;
	}

	/** @return calls under way now, retries and back-offs included */
	public int inFlight() {
		return this.inFlight.get();
	}

	/** @return records held now: waiting, in flight, or finished and not yet committed */
	public int buffered() {
		return this.buffered.get();
	}

	/** @return bytes of the records held now */
	public long bufferedBytes() {
		return this.bufferedBytes.get();
	}

	/** @return partitions of the step's requests topic paused because its buffers are full */
	public int pausedPartitions() {
		return this.pausedPartitions.get();
	}

	/** @return calls that answered, on their first attempt or a retry */
	public long succeeded() {
		return this.succeeded.sum();
	}

	/** @return attempts that failed (an exception or a timeout) */
	public long failed() {
		return this.failed.sum();
	}

	/** @return attempts that took longer than the step's timeout */
	public long timedOut() {
		return this.timedOut.sum();
	}

	/** @return attempts made again after a failure */
	public long retries() {
		return this.retries.sum();
	}

	/** @return records whose call finally failed and that went to the dead-letter topic */
	public long deadLettered() {
		return this.deadLettered.sum();
	}

	/** @return records whose call finally failed and that were skipped (log-and-continue) */
	public long skipped() {
		return this.skipped.sum();
	}

	/** @return partition assignments the step's consumer received: 1 plus one per rebalance */
	public long assignments() {
		return this.assignments.sum();
	}

	/** @return the total time of finished attempts, in nanoseconds */
	public long totalLatencyNanos() {
		return this.latencyNanos.sum();
	}

	/** @return the number of finished attempts */
	public long attempts() {
		return this.latencyCount.sum();
	}

	/** @return whether the step's worker is running */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * The error that stopped the step's worker: a call that finally failed with the
	 * {@code fail} error choice, or a write to Kafka that failed for good.
	 * @return the error, or null if the worker has not failed
	 */
	public @Nullable Throwable failure() {
		return this.failure;
	}

	void running(boolean running) {
		this.running = running;
	}

	void failed(Throwable failure) {
		this.failure = failure;
	}

	void attemptFinished(long nanos) {
		this.latencyNanos.add(nanos);
		this.latencyCount.increment();
		this.latencyListener.accept(nanos);
	}

	/**
	 * Also tells {@code listener} the duration of each finished attempt, on the step's
	 * polling thread (for a latency timer).
	 * @param listener told the duration in nanoseconds; must be quick
	 */
	public void onAttemptFinished(LongConsumer listener) {
		this.latencyListener = listener;
	}

}
