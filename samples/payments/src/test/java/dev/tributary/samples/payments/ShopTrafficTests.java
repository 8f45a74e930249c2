package dev.tributary.samples.payments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated shop: the same seed gives the same events, in time order, keyed as the
 * processors expect.
 */
class ShopTrafficTests {

	private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

	private final ShopSerdes serdes = new ShopSerdes(JsonMapper.builder().build());

	@Test
	void theSameSeedGivesTheSameEventsInTimeOrder() {
		List<ShopTraffic.Event> first = day(7);
		assertThat(first).isEqualTo(day(7)).isNotEqualTo(day(8));
		assertThat(first).extracting(ShopTraffic.Event::timestamp).isSorted();
	}

	@Test
	void keysPaymentsAndReservationsByTheirOrderAndAccessLogLinesByNothing() {
		JsonMapper json = JsonMapper.builder().build();
		int checked = 0;
		for (ShopTraffic.Event event : day(7)) {
			JsonNode node;
			try {
				node = json.readTree(event.value());
			}
			catch (JacksonException unreadable) {
				continue;
			}
			String type = node.path("type").asString();
			if (type.equals("payment") || type.equals("reservation")) {
				assertThat(event.key()).isEqualTo(node.get("orderId").asString());
				checked++;
			}
			else if (type.equals("request")) {
				assertThat(event.key()).isNull();
				checked++;
			}
		}
		assertThat(checked).isGreaterThan(100);
	}

	private List<ShopTraffic.Event> day(long seed) {
		ShopTraffic traffic = new ShopTraffic(seed, START, Set.of("mug", "tee", "hoodie"), this.serdes::toJson);
		List<ShopTraffic.Event> events = new ArrayList<>(traffic.until(START.plusSeconds(60), 2));
		events.addAll(traffic.rest());
		return events;
	}

}
