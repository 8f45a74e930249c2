package dev.tributary.async;

/**
 * A call to a slow service that blocks until it answers. Tributary runs it on a bounded
 * pool of threads of the step's own, so it never blocks a stream thread or the polling
 * thread.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 * @param <R> the result type
 */
@FunctionalInterface
public interface BlockingCall<K, V, R> {

	/**
	 * Calls the service for one record.
	 * @param key the record's key
	 * @param value the record's value
	 * @return the result
	 * @throws Exception if the call failed; it is retried as the step's options say
	 */
	R call(K key, V value) throws Exception;

}
