package dev.tributary.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PeerMessagesTests {

	@SuppressWarnings("unchecked")
	private static final QueryKeyType<Object> LONG = (QueryKeyType<Object>) (QueryKeyType<?>) QueryKeyType.LONG;

	private final PeerMessages messages = new PeerMessages(JsonMapper.builder().build());

	@Test
	void everyQueryTypeTravelsWithTypedKeys() {
		List<StoreQuery> queries = List.of(new StoreQuery.KeyLookup(-42L, Instant.ofEpochMilli(7)),
				new StoreQuery.KeyRange(-5L, 5L, new StoreQuery.Page(3, "Yw")),
				new StoreQuery.KeyRange(null, null, StoreQuery.Page.FIRST),
				new StoreQuery.PrefixScan("ab", new StoreQuery.Page(null, null)),
				new StoreQuery.WindowFetch(1L, Instant.ofEpochMilli(1), Instant.ofEpochMilli(2)),
				new StoreQuery.WindowScan(Instant.ofEpochMilli(1), Instant.ofEpochMilli(2), new StoreQuery.Page(2, null)));
		for (StoreQuery query : queries) {
			PeerMessages.PeerRequest request = new PeerMessages.PeerRequest("p", "s", query, Set.of(0, 3), true);
			assertThat(this.messages.decodeRequest(this.messages.encode(request, LONG), (processor, store) -> LONG))
				.isEqualTo(request);
		}
	}

	@Test
	void aPeersFailureIsRelayedWithItsReasonMessageAndValidValuesOnly() {
		byte[] failure = this.messages.encodeFailure(QueryException.badRequest("no", "parameters", List.of("key")));
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> this.messages.decodeValue(failure, "peer:1"))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(QueryException.Reason.BAD_REQUEST);
				assertThat(ex.getMessage()).isEqualTo("no");
				assertThat(ex.getValidValues()).containsExactly("key");
			});
	}

	@Test
	void anythingElseIsABadPeerAnswer() {
		for (String body : List.of("<html>proxy</html>", "{\"type\":\"entries\",\"items\":{},\"more\":false}",
				"{\"type\":\"entries\",\"items\":[{\"key\":\"x\"}],\"more\":false}", "[]",
				"{\"type\":\"error\",\"reason\":\"TEAPOT\"}")) {
			assertThatExceptionOfType(QueryException.class)
				.isThrownBy(() -> this.messages.decodeEntries(body.getBytes(StandardCharsets.UTF_8), "peer:1", LONG))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(QueryException.Reason.BAD_PEER_ANSWER))
				.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("proxy"));
		}
	}

}
