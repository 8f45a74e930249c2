package dev.tributary.samples.payments;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

import dev.tributary.devbroker.DevBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The whole sample, as a user runs it, on a fixed-seed day of the simulated shop: started
 * in a child JVM against a broker in this one, killed with {@code SIGKILL} while the slowed
 * inventory processor is a quarter of the way through, started again on the same state,
 * and then asked what it knows. Every answer is checked against {@link ExpectedShop},
 * worked out from the events alone. Under exactly-once no reservation may be lost or
 * made twice.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShopCrashRecoveryIntegrationTests {

	private static final long SEED = 17;

	/** A contested hoodie: fewer than its paid reservations. */
	private static final Map<String, Integer> CATALOG = Map.of("mug", 1000, "tee", 1000, "cap", 1000, "poster", 1000,
			"socks", 1000, "hoodie", 15);

	/** {@code shop.inventory.payment-window} of {@code application.yml}. */
	private static final Duration PAYMENT_WINDOW = Duration.ofSeconds(30);

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final String PAYMENTS_DEAD_LETTERS = "shop-payments-dlq";

	private static final String REQUESTS_DEAD_LETTERS = "shop-requests-dlq";

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Static, so that it exists when the scenario runs, before the test methods. */
	@TempDir
	static Path stateDir;

	private DevBroker broker;

	private KafkaProducer<String, String> producer;

	private KafkaConsumer<String, String> consumer;

	private final List<ShopProcess> processes = new ArrayList<>();

	private ExpectedShop expected;

	private long lastEventTime;

	private final Map<String, List<ReservationOutcome>> outcomes = new TreeMap<>();

	private final Map<String, List<String>> deadLetters = new HashMap<>();

	private long committedWhenKilled;

	private Admin admin;

	private long inventoryLagSeen;

	private ShopProcess shop;

	@BeforeAll
	void runTheShopKillItMidStreamAndStartItAgain() throws Exception {
		this.broker = DevBroker.start(0, null, 4);
		this.broker.createTopics(List.of(Topics.SHOP_EVENTS, Topics.CHECKOUT, Topics.RESERVATION_OUTCOMES,
				PAYMENTS_DEAD_LETTERS, REQUESTS_DEAD_LETTERS), 4);
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 10), new StringSerializer(),
				new StringSerializer());
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				"read_committed"), new StringDeserializer(), new StringDeserializer());
		this.consumer.subscribe(List.of(Topics.RESERVATION_OUTCOMES, PAYMENTS_DEAD_LETTERS, REQUESTS_DEAD_LETTERS));
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers()));

		// Two minutes of the shop, two orders a second, ten minutes ago, and what follows from them.
		Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
		ShopTraffic traffic = new ShopTraffic(SEED, start, CATALOG.keySet(), new ShopSerdes(json)::toJson);
		List<ShopTraffic.Event> events = new ArrayList<>(traffic.until(start.plus(Duration.ofMinutes(2)), 2));
		events.addAll(traffic.rest());
		this.expected = new ExpectedShop(events, CATALOG, PAYMENT_WINDOW);
		this.lastEventTime = events.get(events.size() - 1).timestamp();
		for (ShopTraffic.Event event : events) {
			this.producer.send(new ProducerRecord<>(Topics.SHOP_EVENTS, null, event.timestamp(), event.key(),
					event.value()));
		}
		this.producer.flush();

		long began = System.nanoTime();
		// Slowed, so that the kill comes mid-stream: once the inventory has committed a quarter of 'checkout'.
		ShopProcess first = start("shop-1", "40ms");
		readUntil(() -> inventoryCommitted() >= this.expected.checkoutRecords / 4, first,
				(second) -> this.inventoryLagSeen = Math.max(this.inventoryLagSeen, checkoutLag(first)));
		first.kill();
		long killed = System.nanoTime();
		this.committedWhenKilled = inventoryCommitted();
		readFor(Duration.ofSeconds(1));
		System.out.println("Killed the first instance with " + this.committedWhenKilled + " offsets of 'checkout' ("
				+ this.expected.checkoutRecords + " records, for " + this.expected.reservations.size()
				+ " reservations of "
				+ this.expected.reservations.values().stream().map(ExpectedShop.Reservation::order).distinct().count()
				+ " orders) committed by the inventory and " + this.outcomes.size()
				+ " outcomes read; its lag on 'checkout' was up to " + this.inventoryLagSeen);

		this.shop = start("shop-2", "0ms");
		readUntil(() -> this.outcomes.keySet().containsAll(this.expected.reservations.keySet()), this.shop,
				this::closeThePaymentWindows);
		// A reservation decided twice would show up now.
		readFor(Duration.ofSeconds(2));
		System.out.printf("First instance killed after %d s, second done after %d s more%n",
				Duration.ofNanos(killed - began).toSeconds(), Duration.ofNanos(System.nanoTime() - killed).toSeconds());
	}

	@AfterAll
	void stopEverything() throws InterruptedException {
		for (ShopProcess process : this.processes) {
			if (process.isAlive()) {
				process.kill();
			}
		}
		if (this.consumer != null) {
			this.consumer.close();
		}
		if (this.admin != null) {
			this.admin.close();
		}
		if (this.producer != null) {
			this.producer.close();
		}
		if (this.broker != null) {
			this.broker.close();
		}
	}

	@Test
	void everyReservationHasExactlyOneOutcomeAfterSigkill() {
		// Committed offsets count the transactions' commit markers too, so the end lies beyond the record count.
		assertThat(this.committedWhenKilled).as("offsets of 'checkout' the inventory had committed when killed")
			.isPositive()
			.isLessThan(this.expected.checkoutRecords);
		assertThat(this.outcomes.keySet()).isEqualTo(this.expected.reservations.keySet());
		this.outcomes.forEach((reservation, decided) -> {
			assertThat(decided).as("outcomes of reservation %s", reservation).hasSize(1);
			String outcome = decided.get(0).outcome().name();
			String expectedOutcome = this.expected.outcomes.get(reservation);
			if (expectedOutcome.equals(ExpectedShop.RESERVED_OR_REJECTED)) {
				assertThat(outcome).as("outcome of %s", reservation).isIn("RESERVED", "REJECTED");
			}
			else {
				assertThat(outcome).as("outcome of %s", reservation).isEqualTo(expectedOutcome);
			}
		});
		Map<String, Map<String, Long>> perItem = this.outcomes.values()
			.stream()
			.map((decided) -> decided.get(0))
			.filter((outcome) -> outcome.outcome() != ReservationOutcome.Outcome.EXPIRED)
			.collect(Collectors.groupingBy(ReservationOutcome::item, TreeMap::new,
					Collectors.groupingBy((outcome) -> outcome.outcome().name(), TreeMap::new, Collectors.counting())));
		this.expected.stock.forEach((item, stock) -> {
			assertThat(perItem.get(item).getOrDefault("RESERVED", 0L)).as("reserved %s", item)
				.isEqualTo(stock.reserved());
			assertThat(perItem.get(item).getOrDefault("REJECTED", 0L)).as("rejected %s", item)
				.isEqualTo(stock.rejected());
		});
	}

	@Test
	void stockLeftPerItemIsTheExpectedAndNeverBelowZero() {
		assertThat(this.expected.stock.get("hoodie").rejected()).as("paid hoodies beyond the stock").isPositive();
		this.expected.stock.forEach((item, stock) -> {
			JsonNode answer = this.shop.get("/statestores/inventory/stock?key=" + item);
			assertThat(answer).as("stock of %s", item).isNotNull();
			assertThat(answer.get("value").isObject()).as("value rendered as a JSON object").isTrue();
			assertThat(json.treeToValue(answer.get("value"), StockLevel.class))
				.isEqualTo(new StockLevel(item, stock.left(), stock.reserved(), stock.rejected()));
		});
	}

	@Test
	void paymentStatusPerOrderIsTheExpected() {
		Map<String, ExpectedShop.Payment> statuses = new TreeMap<>();
		String cursor = "";
		do {
			JsonNode page = this.shop.get("/statestores/payments/payment-status?limit=100" + cursor);
			assertThat(page).as("a page of payment statuses").isNotNull();
			for (JsonNode entry : page.get("entries")) {
				JsonNode status = entry.get("value");
				assertThat(status.isObject()).as("value rendered as a JSON object").isTrue();
				if (!entry.get("key").asString().startsWith("tick-")) {
					statuses.put(entry.get("key").asString(),
							new ExpectedShop.Payment(status.get("status").asString(),
									status.get("reason").isNull() ? null : status.get("reason").asString(),
									status.get("amountCents").asLong(), status.get("attempts").asInt(),
									Instant.parse(status.get("updatedAt").asString())));
				}
			}
			cursor = page.get("nextCursor").isNull() ? null : "&cursor=" + page.get("nextCursor").asString();
		}
		while (cursor != null);
		assertThat(statuses).isEqualTo(this.expected.payments);
	}

	@Test
	void requestsPerPathAndMinuteAreTheExpected() {
		long from = this.expected.requests.keySet()
			.stream()
			.mapToLong((window) -> Long.parseLong(window.substring(window.indexOf('@') + 1)))
			.min()
			.getAsLong();
		JsonNode answer = this.shop
			.get("/statestores/requests/requests-per-minute?timeFrom=" + from + "&timeTo=" + this.lastEventTime
					+ "&limit=1000");
		assertThat(answer).isNotNull();
		assertThat(answer.get("truncated").asBoolean()).isFalse();
		Map<String, Long> counts = new TreeMap<>();
		answer.get("windows")
			.forEach((window) -> counts.put(window.get("key").asString() + "@" + window.get("startMs").asLong(),
					window.get("value").asLong()));
		assertThat(counts).isEqualTo(this.expected.requests);
	}

	@Test
	void eventsNoProcessorCanReadAreDeadLetteredOnceByEachProcessorThatReadsThem() {
		assertThat(this.expected.unreadable).isNotEmpty();
		for (String topic : List.of(PAYMENTS_DEAD_LETTERS, REQUESTS_DEAD_LETTERS)) {
			assertThat(this.deadLetters.getOrDefault(topic, List.of())).as(topic)
				.containsExactlyInAnyOrderElementsOf(this.expected.unreadable);
		}
	}

	@Test
	void theSlowInventorysLagShowedOnItsStreamsEndpoint() {
		assertThat(this.inventoryLagSeen).as("records of 'checkout' the slow inventory had not committed")
			.isPositive();
	}

	private ShopProcess start(String name, String inventoryDelay) throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers(),
				"--tributary.dev-broker.enabled=false", "--tributary.streams.state.dir=" + stateDir,
				"--tributary.streams.session.timeout.ms=6000", "--shop.generator.enabled=false",
				"--shop.inventory.record-delay=" + inventoryDelay));
		CATALOG.forEach((item, stock) -> arguments.add("--shop.catalog." + item + "=" + stock));
		ShopProcess process = ShopProcess.start(name, arguments);
		this.processes.add(process);
		return process;
	}

	/** The offsets of 'checkout' the inventory's consumer group has committed, over all partitions. */
	private long inventoryCommitted() {
		try {
			return this.admin.listConsumerGroupOffsets("shop-inventory")
				.partitionsToOffsetAndMetadata()
				.get(10, TimeUnit.SECONDS)
				.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().topic().equals(Topics.CHECKOUT) && entry.getValue() != null)
				.mapToLong((entry) -> entry.getValue().offset())
				.sum();
		}
		catch (Exception ex) {
			return 0;
		}
	}

	/** The committed-offset lag of the inventory on 'checkout', as its streams endpoint shows it. */
	private static long checkoutLag(ShopProcess process) {
		JsonNode inventory = process.get("/streams/inventory");
		long lag = 0;
		if (inventory != null) {
			for (JsonNode partition : inventory.path("lag")) {
				if (partition.get("topic").asString().equals(Topics.CHECKOUT)) {
					lag += partition.get("lag").asLong(0);
				}
			}
		}
		return lag;
	}

	/**
	 * Sends a payment for an order of no reservation to every partition, later than any
	 * reservation's window and grace. A reservation that never sees a payment is emitted
	 * when stream time passes its window, and Kafka Streams looks for those when a record
	 * arrives, at most once a second: at the end of a data set, something has to arrive.
	 */
	private void closeThePaymentWindows(int round) {
		Set<Integer> partitions = new HashSet<>();
		for (int i = 0; partitions.size() < 4; i++) {
			String order = "tick-" + round + "-" + i;
			String payment = new ShopSerdes(json).toJson(new Payment(order, 100, "EUR", "tok_tick"));
			try {
				partitions.add(this.producer
					.send(new ProducerRecord<>(Topics.SHOP_EVENTS, null, this.lastEventTime + 60_000 + round, order,
							payment))
					.get()
					.partition());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * Reads the output until done, calling {@code everySecond} once a second with its count.
	 */
	private void readUntil(BooleanSupplier done, ShopProcess process, IntConsumer everySecond) {
		long start = System.nanoTime();
		long nextSecond = start;
		int round = 0;
		while (!done.getAsBoolean()) {
			if (System.nanoTime() - start > TIMEOUT.toNanos()) {
				Map<String, Long> undecided = this.expected.reservations.keySet()
					.stream()
					.filter((reservation) -> !this.outcomes.containsKey(reservation))
					.collect(Collectors.groupingBy(this.expected.outcomes::get, TreeMap::new, Collectors.counting()));
				fail("Timed out after " + TIMEOUT + " with " + this.outcomes.size() + " of "
						+ this.expected.reservations.size() + " reservations decided (undecided, by expected outcome: "
						+ undecided + "); inventory: " + process.get("/streams/inventory") + "; see " + process);
			}
			if (!process.isAlive()) {
				fail("The application exited; see " + process);
			}
			if (everySecond != null && System.nanoTime() >= nextSecond) {
				everySecond.accept(round++);
				nextSecond += Duration.ofSeconds(1).toNanos();
			}
			poll();
		}
	}

	private void readFor(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < deadline) {
			poll();
		}
	}

	private void poll() {
		for (ConsumerRecord<String, String> record : this.consumer.poll(Duration.ofMillis(200))) {
			if (record.topic().equals(Topics.RESERVATION_OUTCOMES)) {
				ReservationOutcome outcome = json.readValue(record.value(), ReservationOutcome.class);
				assertThat(record.key()).as("key of an outcome").isEqualTo(outcome.orderId());
				this.outcomes.computeIfAbsent(outcome.reservationId(), (id) -> new ArrayList<>()).add(outcome);
			}
			else {
				this.deadLetters.computeIfAbsent(record.topic(), (topic) -> new ArrayList<>()).add(record.value());
			}
		}
	}

}
