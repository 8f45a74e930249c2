package dev.tributary.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How many stream thread replacements a processor may go through within a window
 * under {@link UncaughtExceptionPolicy#REPLACE_THREAD}: a thread that dies once more
 * shuts the processor down instead of being replaced again, so a record that kills
 * every thread never turns into a silent loop.
 *
 * @param maxReplacements the most replacements allowed within the window (0: none)
 * @param window the sliding window in which replacements are counted
 */
public record CrashLoopLimit(int maxReplacements, Duration window) {

	/**
	 * The default: 5 replacements within 5 minutes.
	 */
	public static final CrashLoopLimit DEFAULT = new CrashLoopLimit(5, Duration.ofMinutes(5));

	/**
	 * Creates a limit.
	 */
	public CrashLoopLimit {
		Objects.requireNonNull(window, "window");
		if (maxReplacements < 0) {
			throw new IllegalArgumentException("maxReplacements must be 0 or more, not " + maxReplacements);
		}
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be positive, not " + window);
		}
	}

}
