package dev.tributary.errors;

import java.util.Locale;

/**
 * Where in a processor a record failed.
 */
public enum ErrorKind {

	/** The record's key or value could not be deserialized when read from its topic. */
	DESERIALIZATION,

	/** The user's processing code threw while handling the record. */
	PROCESSING,

	/** A result record could not be serialized or produced to its output topic. */
	PRODUCTION;

	/**
	 * The kind as a lower-case tag value.
	 * @return the tag
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
