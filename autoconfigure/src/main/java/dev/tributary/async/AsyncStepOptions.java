package dev.tributary.async;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The effective options of one async step: the step's defaults from code, overridden by
 * {@code tributary.processors.<name>.async.<step>.*}.
 *
 * @param maxInFlight calls in flight on this instance at most
 * @param maxInFlightPerKey calls in flight for one key at most
 * @param timeout how long one attempt may take
 * @param retries retries after the first attempt
 * @param backoff the first back-off between attempts, doubled each time
 * @param maxBufferedRecords records held by the step at most; 0 for four times
 * {@code maxInFlight}, at least 10,000
 * @param maxBufferedBytes bytes of records and results held by the step at most
 * @param partitions partitions of the step's topics; 0 takes the processor's largest
 * source topic's count
 */
public record AsyncStepOptions(int maxInFlight, int maxInFlightPerKey, Duration timeout, int retries,
		Duration backoff, int maxBufferedRecords, long maxBufferedBytes, int partitions) {

	/** The defaults of a step that sets nothing. */
	public static final AsyncStepOptions DEFAULTS = new AsyncStepOptions(100, 1, Duration.ofSeconds(30), 2,
			Duration.ofMillis(100), 0, 64L * 1024 * 1024, 0);

	/**
	 * Checks the options, naming the configuration key of any that is out of range.
	 * @param keyPrefix the step's key prefix, {@code tributary.processors.<name>.async.<step>}
	 * @throws IllegalArgumentException naming the key at fault
	 */
	void validate(String keyPrefix) {
		require(this.maxInFlight >= 1, keyPrefix + ".max-in-flight", "at least 1", this.maxInFlight);
		require(this.maxInFlightPerKey >= 1, keyPrefix + ".max-in-flight-per-key", "at least 1",
				this.maxInFlightPerKey);
		require(!this.timeout.isNegative() && !this.timeout.isZero(), keyPrefix + ".timeout", "positive",
				this.timeout);
		require(this.retries >= 0, keyPrefix + ".retries", "0 or more", this.retries);
		require(!this.backoff.isNegative(), keyPrefix + ".backoff", "0 or more", this.backoff);
		require(this.maxBufferedRecords == 0 || this.maxBufferedRecords >= this.maxInFlight,
				keyPrefix + ".max-buffered-records", "0 (automatic) or at least max-in-flight (" + this.maxInFlight + ")",
				this.maxBufferedRecords);
		require(this.maxBufferedBytes >= 1024 * 1024, keyPrefix + ".max-buffered-bytes", "at least 1MB",
				this.maxBufferedBytes);
		require(this.partitions >= 0, keyPrefix + ".partitions", "0 (as the sources) or more", this.partitions);
	}

	/**
	 * The records the step may hold at most, with 0 resolved.
	 * @return the bound
	 */
	public int effectiveMaxBufferedRecords() {
		return (this.maxBufferedRecords > 0) ? this.maxBufferedRecords : Math.max(10_000, 4 * this.maxInFlight);
	}

	private static void require(boolean valid, String key, String expected, Object actual) {
		if (!valid) {
			throw new IllegalArgumentException("'" + key + "' must be " + expected + ", was " + actual);
		}
	}

	/**
	 * Options to set over others, none set yet.
	 * @return empty overrides
	 */
	public static Overrides overrides() {
		return new Overrides();
	}

	/**
	 * Options set one by one; unset (null) ones keep the value they are laid over.
	 */
	public static final class Overrides {

		private @Nullable Integer maxInFlight;

		private @Nullable Integer maxInFlightPerKey;

		private @Nullable Duration timeout;

		private @Nullable Integer retries;

		private @Nullable Duration backoff;

		private @Nullable Integer maxBufferedRecords;

		private @Nullable Long maxBufferedBytes;

		private @Nullable Integer partitions;

		/**
		 * Sets {@code maxInFlight}.
		 * @param value the value, or null to keep the one underneath
		 * @return these overrides
		 */
		public Overrides maxInFlight(@Nullable Integer value) {
			this.maxInFlight = value;
			return this;
		}

		/**
		 * Sets {@code maxInFlightPerKey}.
		 * @param value the value, or null to keep the one underneath
		 * @return these overrides
		 */
		public Overrides maxInFlightPerKey(@Nullable Integer value) {
			this.maxInFlightPerKey = value;
			return this;
		}

		/**
		 * Sets {@code timeout}.
		 * @param value the value, or null to keep the one underneath
		 * @return these overrides
		 */
		public Overrides timeout(@Nullable Duration value) {
			this.timeout = value;
			return this;
		}

		/**
		 * Sets {@code retries}.
		 * @param value the value, or null to keep the one underneath
		 * @return these overrides
		 */
		public Overrides retries(@Nullable Integer value) {
			this.retries = value;
			return this;
		}

		/**
		 * Sets {@code backoff}.
		 * @param value the value, or null to keep the one underneath
		 * @return these overrides
		 */
		public Overrides backoff(@Nullable Duration value) {
			this.backoff = value;
			return this;
		}

		/**
		 * Sets {@code maxBufferedRecords}.
		 * @param value the value, or null to keep the one underneath
		 * @return these overrides
		 */
		public Overrides maxBufferedRecords(@Nullable Integer value) {
			this.maxBufferedRecords = value;
			return this;
		}

		/**
		 * Sets {@code maxBufferedBytes}.
		 * @param value the value, or null to keep the one underneath
		 * @return these overrides
		 */
		public Overrides maxBufferedBytes(@Nullable Long value) {
			this.maxBufferedBytes = value;
			return this;
		}

		/**
		 * Sets {@code partitions}.
		 * @param value the value, or null to keep the one underneath
		 * @return these overrides
		 */
		public Overrides partitions(@Nullable Integer value) {
			this.partitions = value;
			return this;
		}

		/**
		 * These options over {@code base}.
		 */
		AsyncStepOptions over(AsyncStepOptions base) {
			return new AsyncStepOptions(or(this.maxInFlight, base.maxInFlight()),
					or(this.maxInFlightPerKey, base.maxInFlightPerKey()), or(this.timeout, base.timeout()),
					or(this.retries, base.retries()), or(this.backoff, base.backoff()),
					or(this.maxBufferedRecords, base.maxBufferedRecords()),
					or(this.maxBufferedBytes, base.maxBufferedBytes()), or(this.partitions, base.partitions()));
		}

		private static <T> T or(@Nullable T value, T fallback) {
			return (value != null) ? value : fallback;
		}

	}

}
