package dev.tributary.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tributary.query.QueryException;
import dev.tributary.query.QueryKeyType;
import dev.tributary.query.StoreQuery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StoreQueryParametersTests {

	@SuppressWarnings("unchecked")
	private static final QueryKeyType<Object> LONG = (QueryKeyType<Object>) (QueryKeyType<?>) QueryKeyType.LONG;

	@Test
	void readsEachKindOfQuery() {
		assertThat(parse("key", "42")).isEqualTo(new StoreQuery.KeyLookup(42L, null));
		assertThat(parse("key", "42", "asOf", "1000")).isEqualTo(new StoreQuery.KeyLookup(42L, Instant.ofEpochMilli(1000)));
		assertThat(parse("key", "42", "timeFrom", "2026-01-31T12:00:00Z")).isEqualTo(new StoreQuery.WindowFetch(42L,
				Instant.parse("2026-01-31T12:00:00Z"), Instant.ofEpochMilli(Long.MAX_VALUE)));
		assertThat(parse("from", "-5", "to", "5", "limit", "3"))
			.isEqualTo(new StoreQuery.KeyRange(-5L, 5L, new StoreQuery.Page(3, null)));
		assertThat(parse()).isEqualTo(new StoreQuery.KeyRange(null, null, StoreQuery.Page.FIRST));
		assertThat(parse("prefix", "ab", "cursor", "Yw"))
			.isEqualTo(new StoreQuery.PrefixScan("ab", new StoreQuery.Page(null, "Yw")));
		assertThat(parse("timeFrom", "1", "timeTo", "2", "limit", "2")).isEqualTo(new StoreQuery.WindowScan(
				Instant.ofEpochMilli(1), Instant.ofEpochMilli(2), new StoreQuery.Page(2, null)));
	}

	@Test
	void contradictoryUnknownRepeatedOrUnreadableParametersAreBadRequestsNamingTheValidOnes() {
		assertBad(Map.of("key", List.of("1"), "prefix", List.of("a")), "'key' cannot be combined with 'prefix'");
		assertBad(Map.of("key", List.of("a", "b")), "'key' is given 2 times");
		assertBad(Map.of("colour", List.of("red")), "Unknown parameter 'colour'");
		for (String internal : List.of("local", "stale", "partition")) {
			assertBad(Map.of(internal, List.of("true")), "Unknown parameter '" + internal + "'");
		}
		assertBad(Map.of("key", List.of("1"), "timeFrom", List.of("garbage")), "'timeFrom' must be an ISO-8601 instant");
		assertBad(Map.of("asOf", List.of("1")), "'asOf' needs a 'key'");
		assertBad(Map.of("prefix", List.of("a"), "from", List.of("1")), "'prefix' cannot be combined");
		assertBad(Map.of("timeFrom", List.of("1"), "from", List.of("1")), "'from' (key-value stores) cannot be combined");
		assertBad(Map.of("key", List.of("1"), "timeTo", List.of("1"), "asOf", List.of("1")), "'asOf'");
		assertBad(Map.of("limit", List.of("ten")), "'limit' must be a whole number");
		assertThatExceptionOfType(QueryException.class).isThrownBy(() -> parse("key", "abc"))
			.withMessageContaining("must be a whole number such as 42 (key type long), not 'abc'");
		assertThatExceptionOfType(QueryException.class).isThrownBy(() -> parse("timeFrom", "-1"))
			.withMessageContaining("between 1970-01-01T00:00:00Z and");
	}

	private static void assertBad(Map<String, List<String>> parameters, String message) {
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> StoreQueryParameters.parse(parameters, () -> LONG, "s"))
			.withMessageContaining(message)
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(QueryException.Reason.BAD_REQUEST);
				assertThat(ex.getValidName()).isIn("parameters", "keyTypes");
				assertThat(ex.getValidValues()).isNotEmpty();
			});
	}

	private static StoreQuery parse(String... pairs) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			parameters.put(pairs[i], List.of(pairs[i + 1]));
		}
		return StoreQueryParameters.parse(parameters, () -> LONG, "s");
	}

}
