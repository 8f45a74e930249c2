package dev.tributary.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Counts a processor's stream thread replacements and tells when one more would exceed
 * its {@link CrashLoopLimit}. Thread-safe: stream threads die concurrently.
 */
final class ThreadReplacements {

	private final CrashLoopLimit limit;

	private final LongSupplier nanoClock;

	// Times of the replacements within the window, oldest first.
	private final Deque<Long> recent = new ArrayDeque<>();

	private long total;

	private @Nullable String crashLoop;

	ThreadReplacements(CrashLoopLimit limit, LongSupplier nanoClock) {
		this.limit = limit;
		this.nanoClock = nanoClock;
	}

	/**
	 * Records that a stream thread died: whether it may be replaced, or the processor is
	 * in a crash loop and must shut down.
	 * @return {@code true} if the thread may be replaced (and the replacement is counted)
	 */
	synchronized boolean tryReplace() {
		long now = this.nanoClock.getAsLong();
		long windowNanos = this.limit.window().toNanos();
		while (!this.recent.isEmpty() && now - this.recent.peekFirst() >= windowNanos) {
			this.recent.removeFirst();
		}
		if (this.recent.size() >= this.limit.maxReplacements()) {
			this.crashLoop = "stream threads died " + (this.recent.size() + 1) + " times within "
					+ this.limit.window() + " after " + this.recent.size()
					+ " replacements; the limit is " + this.limit.maxReplacements();
			return false;
		}
		this.recent.addLast(now);
		this.total++;
		return true;
	}

	/**
	 * The replacements since the last reset.
	 */
	synchronized long total() {
		return this.total;
	}

	/**
	 * Why the processor was shut down as a crash loop, or {@code null} if it was not.
	 */
	synchronized @Nullable String crashLoop() {
		return this.crashLoop;
	}

	/**
	 * Forgets everything: a new start is a new chance.
	 */
	synchronized void reset() {
		this.recent.clear();
		this.total = 0;
		this.crashLoop = null;
	}

}
