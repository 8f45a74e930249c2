package dev.tributary.samples.payments;

import java.time.Instant;
import java.util.Map;

import dev.tributary.test.ProcessorTestDriver;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The requests processor on Kafka's test driver: requests per path and minute.
 */
class RequestsTests {

	private static final Instant MINUTE = Instant.parse("2026-11-23T10:15:00Z");

	private final ShopSerdes serdes = new ShopSerdes(JsonMapper.builder().build());

	@Test
	void countsRequestsPerPathAndMinuteWithoutTheQueryString() {
		try (ProcessorTestDriver driver = ProcessorTestDriver
			.of(new Requests(this.serdes, TestShop.properties(Map.of("mug", 1))), Map.of(), MINUTE)) {
			TestInputTopic<String, String> events = driver.inputTopic(Topics.SHOP_EVENTS, Serdes.String(),
					Serdes.String());
			events.pipeInput(null, request("GET /search?q=mug"), MINUTE.plusSeconds(5));
			events.pipeInput(null, request("GET /search?q=cap"), MINUTE.plusSeconds(59));
			events.pipeInput(null, request("GET /search"), MINUTE.plusSeconds(60));
			events.pipeInput(null, request("POST /cart"), MINUTE.plusSeconds(61));
			events.pipeInput("O-1", this.serdes.toJson(new Payment("O-1", 900, "EUR", "tok_1")), MINUTE.plusSeconds(62));

			WindowStore<String, Long> counts = driver.windowStore(Requests.STORE);
			assertThat(counts.fetch("/search", MINUTE.toEpochMilli())).isEqualTo(2L);
			assertThat(counts.fetch("/search", MINUTE.plusSeconds(60).toEpochMilli())).isEqualTo(1L);
			assertThat(counts.fetch("/cart", MINUTE.plusSeconds(60).toEpochMilli())).isEqualTo(1L);
		}
	}

	@Test
	void refusesALineThatIsNotInTheCommonLogFormat() {
		assertThat(Requests.path("203.0.113.9 - - [23/Nov/2026:10:15:30 +0000] \"GET /products/mug HTTP/1.1\" 200 -"))
			.isEqualTo("/products/mug");
		assertThatIllegalArgumentException().isThrownBy(() -> Requests.path("GET /cart"))
			.withMessageContaining("Common Log Format: GET /cart");
	}

	private String request(String methodAndTarget) {
		return this.serdes.toJson(new Request(
				"203.0.113.9 - - [23/Nov/2026:10:15:30 +0000] \"" + methodAndTarget + " HTTP/1.1\" 200 512"));
	}

}
