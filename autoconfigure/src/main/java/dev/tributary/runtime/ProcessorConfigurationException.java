package dev.tributary.runtime;

import org.jspecify.annotations.Nullable;

/**
 * A processor cannot be set up as configured. The message names the processor and,
 * where one is at fault, the configuration key, and says what would be valid.
 */
public class ProcessorConfigurationException extends RuntimeException {

	private final @Nullable String key;

	/**
	 * Creates an exception about a configuration key.
	 * @param key the configuration key at fault, or {@code null} when no single key is
	 * @param message what is wrong and what would be valid
	 */
	public ProcessorConfigurationException(@Nullable String key, String message) {
		this(key, message, null);
	}

	/**
	 * Creates an exception about a configuration key, with its cause.
	 * @param key the configuration key at fault, or {@code null} when no single key is
	 * @param message what is wrong and what would be valid
	 * @param cause the underlying failure
	 */
	public ProcessorConfigurationException(@Nullable String key, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.key = key;
	}

	/**
	 * The configuration key at fault.
	 * @return the key, or {@code null} when the problem is not a single key's
	 */
	public @Nullable String getKey() {
		return this.key;
	}

}
