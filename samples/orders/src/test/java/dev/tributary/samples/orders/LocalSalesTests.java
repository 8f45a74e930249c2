package dev.tributary.samples.orders;

import java.time.Instant;
import java.util.List;

import dev.tributary.test.ProcessorTestDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology on Kafka's test driver: which orders count, which are set aside, and the
 * grace period, one record at a time.
 */
class LocalSalesTests {

	private static final Instant ELEVEN = Instant.parse("2026-01-31T11:00:00Z");

	private final JsonMapper json = JsonMapper.builder().build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private ProcessorTestDriver driver;

	private TestInputTopic<String, String> orders;

	@BeforeEach
	void loadUsersAndItems() {
		this.driver = ProcessorTestDriver.of(new LocalSales(this.json, this.meters));
		TestInputTopic<String, String> users = this.driver.inputTopic("users", Serdes.String(), Serdes.String());
		users.pipeInput("giulia", this.json.writeValueAsString(new User("female", "tuscany", 45)));
		users.pipeInput("max", this.json.writeValueAsString(new User("male", "bavaria", 41)));
		TestInputTopic<String, String> items = this.driver.inputTopic("items", Serdes.String(), Serdes.String());
		items.pipeInput("chianti", this.json.writeValueAsString(new Item(1690, "wine", "tuscany")));
		items.pipeInput("pretzel", this.json.writeValueAsString(new Item(250, "bakery", "bavaria")));
		this.orders = this.driver.inputTopic("orders", Serdes.String(), Serdes.String());
	}

	@AfterEach
	void close() {
		this.driver.close();
	}

	@Test
	void countsOnlyOrdersWhoseItemComesFromTheBuyersRegionInTheHourOfOrderTime() {
		order("giulia", "chianti", "11:10", 2);
		order("giulia", "pretzel", "11:20", 5);
		order("max", "pretzel", "11:59", 4);
		order("max", "chianti", "12:00", 1);
		order("max", "pretzel", "12:00", 1);

		assertThat(hour("tuscany", ELEVEN)).isEqualTo(new HourTotal(1, 2 * 1690));
		assertThat(hour("bavaria", ELEVEN)).isEqualTo(new HourTotal(1, 4 * 250));
		assertThat(hour("bavaria", ELEVEN.plusSeconds(3600))).isEqualTo(new HourTotal(1, 250));
		assertThat(hour("tuscany", ELEVEN.plusSeconds(3600))).isNull();
	}

	@Test
	void setsAsideOrdersOfUnknownUsersAndItemsAndCountsThem() {
		order("guest", "chianti", "11:10", 1);
		// No key: the order cannot be joined to any user.
		this.orders.pipeInput(null, this.json.writeValueAsString(
				new Order("giulia", "chianti", Instant.parse("2026-01-31T11:11:00Z"), 1)));
		order("giulia", "white-truffle", "11:12", 1);
		order("giulia", "chianti", "11:13", 1);

		List<KeyValue<String, String>> unmatched = this.driver
			.outputTopic("orders-unmatched", Serdes.String(), Serdes.String())
			.readKeyValuesToList();
		assertThat(unmatched).extracting((record) -> record.key)
			.containsExactly("guest", null, "giulia");
		assertThat(unmatched).extracting((record) -> this.json.readValue(record.value, UnmatchedOrder.class).reason())
			.containsExactly("unknown-user", "unknown-user", "unknown-item");
		assertThat(this.meters.get("orders.unmatched").tag("reason", "unknown-user").counter().count()).isEqualTo(2);
		assertThat(this.meters.get("orders.unmatched").tag("reason", "unknown-item").counter().count()).isEqualTo(1);
		assertThat(hour("tuscany", ELEVEN)).isEqualTo(new HourTotal(1, 1690));
	}

	@Test
	void sendsAnOrderThatCannotBeReadToTheDeadLetterTopic() {
		this.orders.pipeInput("giulia", "{\"user\":\"giulia\",\"item\":\"chianti\",\"quantity\":1}");
		this.orders.pipeInput("giulia", "{\"user\":\"giulia\",\"item\":\"chianti\",\"quantity\":0,"
				+ "\"orderTime\":\"2026-01-31T11:10:00Z\"}");
		order("giulia", "chianti", "11:10", 1);

		assertThat(this.driver.outputTopic("orders-local-sales-dlq", Serdes.String(), Serdes.String())
			.readValuesToList()).hasSize(2).allSatisfy((value) -> assertThat(value).contains("\"item\":\"chianti\""));
		assertThat(hour("tuscany", ELEVEN)).isEqualTo(new HourTotal(1, 1690));
	}

	@Test
	void skipsATombstoneOnOrders() {
		this.orders.pipeInput("giulia", (String) null);
		order("giulia", "chianti", "11:10", 1);

		assertThat(this.driver.outputTopic("orders-unmatched", Serdes.String(), Serdes.String()).isEmpty()).isTrue();
		assertThat(hour("tuscany", ELEVEN)).isEqualTo(new HourTotal(1, 1690));
	}

	@Test
	void takesALateOrderUntilItsHoursGracePeriodEndsAndDropsItAfter() {
		order("giulia", "chianti", "11:30", 1);
		order("giulia", "chianti", "12:05", 1);
		// Stream time is 12:05: the 11:00 hour ended, but takes orders until 12:10.
		order("giulia", "chianti", "11:50", 1);
		assertThat(hour("tuscany", ELEVEN)).isEqualTo(new HourTotal(2, 2 * 1690));

		order("giulia", "chianti", "12:10", 1);
		order("giulia", "chianti", "11:55", 1);
		assertThat(hour("tuscany", ELEVEN)).isEqualTo(new HourTotal(2, 2 * 1690));
		// The test driver runs the whole topology as one task, 0_0.
		assertThat(LateOrdersMeter.droppedRecords(this.driver.driver().metrics(), 0)).isEqualTo(1);
	}

	private void order(String user, String item, String time, int quantity) {
		this.orders.pipeInput(user, this.json.writeValueAsString(
				new Order(user, item, Instant.parse("2026-01-31T" + time + ":00Z"), quantity)));
	}

	private HourTotal hour(String region, Instant start) {
		WindowStore<String, HourTotal> store = this.driver.windowStore(LocalSales.STORE);
		return store.fetch(region, start.toEpochMilli());
	}

}
