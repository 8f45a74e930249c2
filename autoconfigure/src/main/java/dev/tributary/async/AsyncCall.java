package dev.tributary.async;

import java.util.concurrent.CompletionStage;

/**
 * A call to a slow service that answers asynchronously, for example through a
 * non-blocking HTTP client. It must not block: it is called on the step's polling thread.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 * @param <R> the result type
 */
@FunctionalInterface
public interface AsyncCall<K, V, R> {

	/**
	 * Starts the call for one record.
	 * @param key the record's key
	 * @param value the record's value
	 * @return the result, completed later; completed exceptionally if the call failed
	 */
	CompletionStage<R> call(K key, V value);

}
