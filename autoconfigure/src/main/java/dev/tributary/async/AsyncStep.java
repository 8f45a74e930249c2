package dev.tributary.async;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.kafka.common.serialization.Serde;
import org.jspecify.annotations.Nullable;

/**
 * One async step of a topology: a slow, I/O-bound call per record, run with many calls in
 * flight while each key's results keep their input order. Build one with
 * {@link #call(String, AsyncCall)} or {@link #blocking(String, BlockingCall)}, give it
 * its serdes, and apply it with {@link AsyncSteps#mapValues}.
 *
 * <p>The options set here are the step's defaults; {@code tributary.processors.<name>.async.<step>.*}
 * in {@code application.yml} overrides them.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 * @param <R> the result type
 */
public final class AsyncStep<K, V, R> {

	private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

	private final String name;

	private final @Nullable AsyncCall<K, V, R> call;

	private final @Nullable BlockingCall<K, V, R> blockingCall;

	private @Nullable Serde<K> keySerde;

	private @Nullable Serde<V> valueSerde;

	private @Nullable Serde<R> resultSerde;

	private final AsyncStepOptions.Overrides options = AsyncStepOptions.overrides();

	private AsyncStep(String name, @Nullable AsyncCall<K, V, R> call, @Nullable BlockingCall<K, V, R> blockingCall) {
		if (!VALID_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Async step name '" + name
					+ "' is invalid: use letters, digits, '.', '_' and '-' only (it names topics)");
		}
		this.name = name;
		this.call = call;
		this.blockingCall = blockingCall;
	}

	/**
	 * A step whose call answers asynchronously.
	 * @param name the step's name, unique in its processor; it names the step's topics
	 * and its configuration keys
	 * @param call the call, which must not block
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param <R> the result type
	 * @return the step
	 */
	public static <K, V, R> AsyncStep<K, V, R> call(String name, AsyncCall<K, V, R> call) {
		return new AsyncStep<>(name, Objects.requireNonNull(call, "call"), null);
	}

	/**
	 * A step whose call blocks; it runs on a pool of as many threads as the step allows
	 * calls in flight.
	 * @param name the step's name, unique in its processor
	 * @param call the blocking call
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param <R> the result type
	 * @return the step
	 */
	public static <K, V, R> AsyncStep<K, V, R> blocking(String name, BlockingCall<K, V, R> call) {
		return new AsyncStep<>(name, null, Objects.requireNonNull(call, "call"));
	}

	/**
	 * The serdes of the step's records: the key, the value going in and the result coming
	 * out. Required.
	 * @param keySerde the key serde
	 * @param valueSerde the input value serde
	 * @param resultSerde the result serde
	 * @return this step
	 */
	public AsyncStep<K, V, R> withSerdes(Serde<K> keySerde, Serde<V> valueSerde, Serde<R> resultSerde) {
		this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
		this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
		this.resultSerde = Objects.requireNonNull(resultSerde, "resultSerde");
		return this;
	}

	/**
	 * At most this many calls in flight on this instance (default 100).
	 * @param maxInFlight the limit
	 * @return this step
	 */
	public AsyncStep<K, V, R> withMaxInFlight(int maxInFlight) {
		this.options.maxInFlight(maxInFlight);
		return this;
	}

	/**
	 * At most this many calls in flight for one key (default 1). Results of one key are
	 * written in input order whatever this is.
	 * @param maxInFlightPerKey the limit
	 * @return this step
	 */
	public AsyncStep<K, V, R> withMaxInFlightPerKey(int maxInFlightPerKey) {
		this.options.maxInFlightPerKey(maxInFlightPerKey);
		return this;
	}

	/**
	 * How long one attempt of a call may take (default 30 s); a call that takes longer
	 * counts as failed and is retried or handled as the step's error handling says.
	 * @param timeout the timeout per attempt
	 * @return this step
	 */
	public AsyncStep<K, V, R> withTimeout(Duration timeout) {
		this.options.timeout(timeout);
		return this;
	}

	/**
	 * Retries of a failed or timed-out call (default 2), with a back-off that starts at
	 * {@code backoff} and doubles each time.
	 * @param retries the number of retries after the first attempt
	 * @param backoff the first back-off
	 * @return this step
	 */
	public AsyncStep<K, V, R> withRetries(int retries, Duration backoff) {
		this.options.retries(retries).backoff(backoff);
		return this;
	}

	/**
	 * At most this many records buffered by the step on this instance, waiting, in flight
	 * or finished but not yet committed (default four
	 * times the calls in flight, at least 10,000). When full, the step stops
	 * fetching (its partitions are paused) and keeps polling.
	 * @param maxBufferedRecords the limit
	 * @return this step
	 */
	public AsyncStep<K, V, R> withMaxBufferedRecords(int maxBufferedRecords) {
		this.options.maxBufferedRecords(maxBufferedRecords);
		return this;
	}

	/**
	 * At most this many bytes of records and results buffered by the step (default 64 MB).
	 * @param maxBufferedBytes the limit
	 * @return this step
	 */
	public AsyncStep<K, V, R> withMaxBufferedBytes(long maxBufferedBytes) {
		this.options.maxBufferedBytes(maxBufferedBytes);
		return this;
	}

	/**
	 * The step's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	@Nullable AsyncCall<K, V, R> asyncCall() {
		return this.call;
	}

	@Nullable BlockingCall<K, V, R> blockingCall() {
		return this.blockingCall;
	}

	AsyncStepOptions.Overrides options() {
		return this.options;
	}

	Serde<K> keySerde() {
		return requireSerde(this.keySerde);
	}

	Serde<V> valueSerde() {
		return requireSerde(this.valueSerde);
	}

	Serde<R> resultSerde() {
		return requireSerde(this.resultSerde);
	}

	private <T> Serde<T> requireSerde(@Nullable Serde<T> serde) {
		if (serde == null) {
			throw new IllegalStateException("Async step '" + this.name + "' has no serdes: call "
					+ "withSerdes(keySerde, valueSerde, resultSerde); its records go through Kafka topics");
		}
		return serde;
	}

}
