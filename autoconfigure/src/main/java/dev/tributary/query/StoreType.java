package dev.tributary.query;

/**
 * The kinds of state store the query service answers for.
 */
public enum StoreType {

	/** A key-value store. */
	KEY_VALUE,

	/** A key-value store that keeps each value's timestamp. */
	TIMESTAMPED_KEY_VALUE,

	/** A versioned key-value store (values as of a point in time). */
	VERSIONED_KEY_VALUE,

	/** A window store (values per key and time window). */
	WINDOW,

	/** A session store (values per key and session). */
	SESSION;

	boolean isKeyValue() {
		return this == KEY_VALUE || this == TIMESTAMPED_KEY_VALUE;
	}

}
