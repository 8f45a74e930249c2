package dev.tributary.samples.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.test.InProcessKafka;
import dev.tributary.test.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole sample on one in-process broker, fed a small data set made by the shop's
 * generator from a fixed seed, one hour of orders at a time, then a few late orders.
 * Every answer is checked over HTTP against what {@link ExpectedSales} works out from the
 * same orders without the topology.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "orders.generator.enabled=false")
@InProcessKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrdersApplicationTests {

	private static final Instant NINE = Instant.parse("2026-01-31T09:00:00Z");

	private static final List<Instant> HOURS = List.of(NINE, NINE.plus(1, ChronoUnit.HOURS),
			NINE.plus(2, ChronoUnit.HOURS), NINE.plus(3, ChronoUnit.HOURS));

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final ExpectedSales expected = new ExpectedSales();

	/** What the store answered for each hour before the late orders came. */
	private final Map<Instant, Map<String, HourTotal>> beforeLateOrders = new TreeMap<>();

	@Autowired
	TestKafka kafka;

	@Autowired
	ProcessorRegistry processors;

	@LocalServerPort
	int port;

	@BeforeAll
	void sendTheDataSetHourByHour() throws Exception {
		try (ProcessedRecords processed = new ProcessedRecords(this.kafka.bootstrapServers(),
				"orders-local-sales", List.of(LocalSales.ORDERS, LocalSales.USERS, LocalSales.ITEMS))) {
			Shop.USERS.forEach((name, user) -> this.kafka.send(LocalSales.USERS, name, this.json.writeValueAsString(user)));
			Shop.ITEMS.forEach((name, item) -> this.kafka.send(LocalSales.ITEMS, name, this.json.writeValueAsString(item)));
			// The tables first: an order read before its user and item would be unmatched.
			processed.awaitAll();

			Random random = new Random(17);
			List<List<Order>> batches = new ArrayList<>();
			for (int hour = 0; hour < 3; hour++) {
				batches.add(Shop.randomOrders(random, HOURS.get(hour), Duration.ofHours(1), 30, 0.05));
			}
			// The next hour begins in every region: from here on, stream time is past 12:00
			// wherever an order is aggregated.
			List<Order> twelve = new ArrayList<>();
			for (int i = 0; i < Shop.REGIONS.size(); i++) {
				twelve.add(Shop.localOrder(random, Shop.REGIONS.get(i), HOURS.get(3).plus(i + 1, ChronoUnit.MINUTES)));
			}
			batches.add(twelve);
			// Not an order: the join with users skips it, and it is no late order either.
			this.kafka.send(LocalSales.ORDERS, "giulia", null);
			for (List<Order> batch : batches) {
				// One hour at a time, each processed before the next: Kafka Streams reads the
				// partitions of a topic in no fixed order, so an hour's orders sent together
				// with much later ones could find their window already closed.
				send(batch, processed);
			}
			for (Instant hour : HOURS) {
				this.beforeLateOrders.put(hour, allRegions(hour));
			}

			send(List.of(Shop.localOrder(random, "tuscany", Instant.parse("2026-01-31T11:30:00Z")),
					Shop.localOrder(random, "bavaria", Instant.parse("2026-01-31T11:45:00Z")),
					Shop.localOrder(random, "provence", Instant.parse("2026-01-31T10:30:00Z")),
					Shop.localOrder(random, "andalusia", Instant.parse("2026-01-31T09:15:00Z"))), processed);
		}
		// What the tests below rely on: the data set has each case in it.
		assertThat(this.expected.acceptedAfterTheirHour).hasSize(2);
		assertThat(this.expected.dropped).hasSize(2);
		assertThat(this.expected.unmatched.get(UnmatchedOrder.UNKNOWN_USER)).isNotEmpty();
		assertThat(this.expected.unmatched.get(UnmatchedOrder.UNKNOWN_ITEM)).isNotEmpty();
	}

	private void send(List<Order> batch, ProcessedRecords processed) {
		this.expected.send(batch);
		for (Order order : batch) {
			this.kafka.send(LocalSales.ORDERS, order.user(), this.json.writeValueAsString(order));
		}
		processed.awaitAll();
		this.expected.processed(batch);
	}

	@Test
	void answersEveryRegionsLocalOrdersAndAmountForEveryHour() throws Exception {
		List<Instant> hours = new ArrayList<>(HOURS);
		hours.add(NINE.minus(1, ChronoUnit.HOURS));
		for (Instant hour : hours) {
			assertThat(allRegions(hour)).as("all regions at %s", hour).isEqualTo(this.expected.hour(hour));
			for (String region : Shop.REGIONS) {
				JsonNode windows = get(store() + "?key=" + region + "&timeFrom=" + hour + "&timeTo=" + hour)
					.get("windows");
				HourTotal total = this.expected.hour(hour).get(region);
				assertThat(windows).as("%s at %s", region, hour).hasSize((total != null) ? 1 : 0);
				if (total != null) {
					JsonNode value = windows.get(0).get("value");
					assertThat(value.isObject()).as("value rendered as a JSON object: %s", value).isTrue();
					assertThat(new HourTotal(value.get("orders").asLong(), value.get("amountCents").asLong()))
						.isEqualTo(total);
					assertThat(windows.get(0).get("start").asString()).isEqualTo(hour.toString());
				}
			}
		}
		// The data set is not trivial: most hours have local orders in several regions (and 08:00 none).
		assertThat(HOURS.stream().mapToInt((hour) -> this.expected.hour(hour).size()).sum()).isGreaterThan(10);
	}

	@Test
	void lateOrderInsideTheGracePeriodUpdatesItsHourAfterTheHourEnded() throws Exception {
		for (Order order : this.expected.acceptedAfterTheirHour) {
			String region = Shop.USERS.get(order.user()).address();
			Instant hour = order.orderTime().truncatedTo(ChronoUnit.HOURS);
			HourTotal before = this.beforeLateOrders.get(hour).getOrDefault(region, new HourTotal(0, 0));
			long amount = Shop.ITEMS.get(order.item()).priceCents() * order.quantity();
			assertThat(allRegions(hour).get(region)).as("%s", order)
				.isEqualTo(new HourTotal(before.orders() + 1, before.amountCents() + amount));
		}
	}

	@Test
	void orderPastTheGracePeriodIsInNoHourAndCountedAsLate() throws Exception {
		for (Order order : this.expected.dropped) {
			Instant hour = order.orderTime().truncatedTo(ChronoUnit.HOURS);
			assertThat(allRegions(hour)).as("%s", order).isEqualTo(this.beforeLateOrders.get(hour));
		}
		assertThat(meter(LateOrdersMeter.NAME)).isEqualTo(this.expected.dropped.size());
		// Kafka Streams also counted the tombstone the join skipped; the meter counts late orders only.
		double droppedByAnyTask = this.processors.get(LocalSales.NAME)
			.kafkaStreams()
			.orElseThrow()
			.metrics()
			.entrySet()
			.stream()
			.filter((metric) -> metric.getKey().group().equals("stream-task-metrics")
					&& metric.getKey().name().equals("dropped-records-total"))
			.mapToDouble((metric) -> ((Number) metric.getValue().metricValue()).doubleValue())
			.sum();
		assertThat(droppedByAnyTask).isEqualTo(this.expected.dropped.size() + 1);
	}

	@Test
	void setsAsideOrdersOfUnknownUsersAndItemsToTheUnmatchedTopic() throws Exception {
		int count = this.expected.unmatched.values().stream().mapToInt(List::size).sum();
		List<ConsumerRecord<String, String>> records = this.kafka.read(LocalSales.UNMATCHED, count);
		Map<String, List<Order>> unmatched = new TreeMap<>();
		for (ConsumerRecord<String, String> record : records) {
			UnmatchedOrder order = this.json.readValue(record.value(), UnmatchedOrder.class);
			assertThat(record.key()).isEqualTo(order.order().user());
			unmatched.computeIfAbsent(order.reason(), (reason) -> new ArrayList<>()).add(order.order());
		}
		for (Map.Entry<String, List<Order>> expected : this.expected.unmatched.entrySet()) {
			String reason = expected.getKey();
			assertThat(unmatched.get(reason)).as(reason).containsExactlyInAnyOrderElementsOf(expected.getValue());
			assertThat(meter("orders.unmatched?tag=reason:" + reason)).as(reason).isEqualTo(expected.getValue().size());
		}
	}

	@Test
	void answersAUsersCurrentProfile() throws Exception {
		JsonNode answer = get("/actuator/statestores/local-sales/users?key=giulia");
		assertThat(answer.get("value").isObject()).as("value rendered as a JSON object: %s", answer).isTrue();
		assertThat(this.json.treeToValue(answer.get("value"), User.class)).isEqualTo(Shop.USERS.get("giulia"));
		assertThat(get("/actuator/statestores/local-sales/users?limit=100").get("count").asInt())
			.isEqualTo(Shop.USERS.size());
	}

	/** The window scan of one hour: every region's total. */
	private Map<String, HourTotal> allRegions(Instant hour) throws Exception {
		Map<String, HourTotal> totals = new TreeMap<>();
		for (JsonNode window : get(store() + "?timeFrom=" + hour + "&timeTo=" + hour).get("windows")) {
			JsonNode value = window.get("value");
			totals.put(window.get("key").asString(),
					new HourTotal(value.get("orders").asLong(), value.get("amountCents").asLong()));
		}
		return totals;
	}

	private double meter(String nameAndTags) throws Exception {
		JsonNode measurements = get("/actuator/metrics/" + nameAndTags).get("measurements");
		for (JsonNode measurement : measurements) {
			if (measurement.get("statistic").asString().equals("COUNT")) {
				return measurement.get("value").asDouble();
			}
		}
		throw new AssertionError("No COUNT in " + measurements);
	}

	private static String store() {
		return "/actuator/statestores/" + LocalSales.NAME + "/" + LocalSales.STORE;
	}

	private JsonNode get(String pathAndQuery) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + pathAndQuery)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", pathAndQuery, response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

}
