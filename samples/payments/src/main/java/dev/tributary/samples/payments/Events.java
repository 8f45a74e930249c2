package dev.tributary.samples.payments;

import org.jspecify.annotations.Nullable;

/**
 * Checks shared by the event records: an event that lacks a field fails to deserialize,
 * and goes to the dead-letter topic with a message naming the field.
 */
final class Events {

	private Events() {
	}

	static void require(@Nullable String value, String field) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("Event has no '" + field + "'");
		}
	}

}
