package dev.tributary.query;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Time parameters: ISO-8601 or epoch milliseconds, and a 400 naming the valid range for
 * anything else, never a 500.
 */
class QueryTimeParameterTests {

	@Test
	void acceptsIsoInstantsAndEpochMilliseconds() {
		assertThat(StateStoreQueryService.time(Map.of("timeFrom", "2026-01-31T12:00:00Z"), "timeFrom", null))
			.isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
		assertThat(StateStoreQueryService.time(Map.of("timeFrom", "1769860800000"), "timeFrom", null))
			.isEqualTo(Instant.ofEpochMilli(1769860800000L));
		assertThat(StateStoreQueryService.time(Map.of(), "timeFrom", Instant.EPOCH)).isEqualTo(Instant.EPOCH);
	}

	@Test
	void instantsOutsideEpochMillisecondsAreBadRequests() {
		for (String text : new String[] { "+1000000000-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
				"99999999999999999999", "yesterday" }) {
			assertThatExceptionOfType(QueryException.class)
				.isThrownBy(() -> StateStoreQueryService.time(Map.of("timeTo", text), "timeTo", null))
				.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(400))
				.withMessageContaining("'timeTo' must be")
				.withMessageContaining("1970-01-01T00:00:00Z");
		}
	}

}
