package dev.tributary.errors;

import java.util.Locale;

/**
 * What a processor does with a record that fails to deserialize, to process or to be
 * produced.
 */
public enum ErrorHandling {

	/**
	 * Fail: the stream thread dies and the processor's uncaught-exception policy applies.
	 * Nothing is skipped, but a record that fails every time stops the processor.
	 */
	FAIL,

	/**
	 * Log the error and skip the record. The record is lost to the processor (its offset
	 * is committed), so use it only where that is acceptable.
	 */
	LOG_AND_CONTINUE,

	/**
	 * Write the record's original key and value bytes, with headers describing the error,
	 * to the dead-letter topic, then continue. Nothing is lost and the processor keeps
	 * running; under exactly-once the dead-letter record is part of the same transaction.
	 */
	DEAD_LETTER;

	/**
	 * The handling as it is written in the configuration and in meter tags.
	 * @return {@code fail}, {@code log-and-continue} or {@code dead-letter}
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
