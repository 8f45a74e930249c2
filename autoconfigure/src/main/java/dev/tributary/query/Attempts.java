package dev.tributary.query;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * Runs a query again while it fails for a reason that may pass (a rebalance, a peer
 * that is restarting): a few attempts with growing pauses, all within one deadline.
 * Everything else (a bad request, an absent key, a peer's garbage) is answered at once.
 */
final class Attempts {

	static final int MAX_ATTEMPTS = 8;

	private static final long MAX_PAUSE_MILLIS = 500;

	private static final long FIRST_PAUSE_MILLIS = 50;

	private Attempts() {
	}

	static <T> T run(ManagedProcessor processor, Duration timeout, Supplier<T> attempt) {
		return run(timeout, () -> unavailableIfStopped(processor, attempt));
	}

	/**
	 * Runs an attempt, and again after a pause while it fails for a reason that may pass:
	 * at most {@link #MAX_ATTEMPTS} attempts, pauses doubling from 50 ms up to 500 ms (a
	 * rebalance of a few seconds is met by 8 calls, not 30), and no pause that would end
	 * after the deadline.
	 */
	static <T> T run(Duration timeout, Supplier<T> attempt) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long pause = FIRST_PAUSE_MILLIS;
		for (int number = 1;; number++) {
			QueryException failure;
			try {
				return attempt.get();
			}
			catch (QueryException ex) {
				if (!ex.isRetriable()) {
					throw ex;
				}
				failure = ex;
			}
			catch (StreamsException ex) {
				failure = QueryException.unavailable("State store not queryable right now: " + ex.getMessage());
			}
			long left = deadline - System.nanoTime();
			if (number >= MAX_ATTEMPTS || left < TimeUnit.MILLISECONDS.toNanos(pause)) {
				throw failure;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
			pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
		}
	}

	/**
	 * Runs one attempt. Kafka Streams' metadata and store lookups throw
	 * {@code IllegalStateException} once an instance is shutting down, failed or closed:
	 * a query that raced a stop, restart or failure of the processor, which is worth
	 * asking again, not a server error. The same exception from an instance that is still
	 * running is a real error and is not hidden.
	 */
	static <T> T unavailableIfStopped(ManagedProcessor processor, Supplier<T> attempt) {
		KafkaStreams before = processor.kafkaStreams().orElse(null);
		try {
			return attempt.get();
		}
		catch (IllegalStateException ex) {
			if (before != null && before.state().isRunningOrRebalancing()
					&& processor.kafkaStreams().orElse(null) == before) {
				throw ex;
			}
			throw QueryException.unavailable("Processor '" + processor.name()
					+ "' was stopped or restarted during the query (" + ex.getMessage() + "); ask again");
		}
	}

}
