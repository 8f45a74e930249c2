package dev.tributary.samples.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.tributary.samples.payments.ReservationOutcome.Outcome;
import dev.tributary.test.ProcessorTestDriver;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inventory processor on Kafka's test driver: the payment window, expiry, and stock
 * that never goes below zero. Records are piped in one at a time, so their order is
 * defined here.
 */
class InventoryTests {

	private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

	private final ShopSerdes serdes = new ShopSerdes(JsonMapper.builder().build());

	@Test
	void reservesStockForAPaymentWithinTheWindowEitherWayRound() {
		try (ProcessorTestDriver driver = driver(Map.of("mug", 10))) {
			TestInputTopic<String, CheckoutEvent> checkout = checkout(driver);
			checkout.pipeInput("O-1", new Reservation("O-1-1", "O-1", "mug", 2), T0);
			checkout.pipeInput("O-1", validated("O-1", T0.plusSeconds(29)), T0.plusSeconds(29));
			// paid first: the reservation comes 20 s after the payment
			checkout.pipeInput("O-2", validated("O-2", T0.plusSeconds(30)), T0.plusSeconds(30));
			checkout.pipeInput("O-2", new Reservation("O-2-1", "O-2", "mug", 1), T0.plusSeconds(50));

			assertThat(outcomes(driver).readValuesToList()).containsExactly(
					new ReservationOutcome("O-1-1", "O-1", "mug", 2, Outcome.RESERVED, null, 8),
					new ReservationOutcome("O-2-1", "O-2", "mug", 1, Outcome.RESERVED, null, 7));
			assertThat(driver.<String, StockLevel>keyValueStore(Inventory.STORE).get("mug"))
				.isEqualTo(new StockLevel("mug", 7, 3, 0));
		}
	}

	@Test
	void expiresAReservationWithoutAPaymentInTheWindowOnceTheWindowAndGraceHavePassed() {
		try (ProcessorTestDriver driver = driver(Map.of("mug", 10))) {
			TestInputTopic<String, CheckoutEvent> checkout = checkout(driver);
			TestOutputTopic<String, ReservationOutcome> outcomes = outcomes(driver);
			checkout.pipeInput("O-1", new Reservation("O-1-1", "O-1", "mug", 1), T0);
			// paid, but 31 s later: outside the 30 s window
			checkout.pipeInput("O-1", validated("O-1", T0.plusSeconds(31)), T0.plusSeconds(31));
			checkout.pipeInput("O-9", validated("O-9", T0.plusSeconds(40)), T0.plusSeconds(40));
			assertThat(outcomes.isEmpty()).as("no outcome while the grace lasts").isTrue();

			// Kafka Streams looks for closed windows when stream time passes them, at most once a second.
			driver.advanceWallClockTime(Duration.ofSeconds(1));
			checkout.pipeInput("O-9", validated("O-9", T0.plusSeconds(41)), T0.plusSeconds(41));

			assertThat(outcomes.readValuesToList()).containsExactly(new ReservationOutcome("O-1-1", "O-1", "mug", 1,
					Outcome.EXPIRED, "no validated payment within the payment window", null));
			assertThat(driver.<String, StockLevel>keyValueStore(Inventory.STORE).get("mug")).isNull();
		}
	}

	@Test
	void rejectsWhatTheStockCannotCoverAndNeverGoesBelowZero() {
		try (ProcessorTestDriver driver = driver(Map.of("hoodie", 2))) {
			TestInputTopic<String, CheckoutEvent> checkout = checkout(driver);
			checkout.pipeInput("O-1", validated("O-1", T0), T0);
			checkout.pipeInput("O-1", new Reservation("O-1-1", "O-1", "hoodie", 3), T0);
			checkout.pipeInput("O-1", new Reservation("O-1-2", "O-1", "hoodie", 2), T0);
			checkout.pipeInput("O-1", new Reservation("O-1-3", "O-1", "hoodie", 1), T0);
			checkout.pipeInput("O-1", new Reservation("O-1-4", "O-1", "scarf", 1), T0);

			assertThat(outcomes(driver).readValuesToList()).containsExactly(
					new ReservationOutcome("O-1-1", "O-1", "hoodie", 3, Outcome.REJECTED, "only 2 left", 2),
					new ReservationOutcome("O-1-2", "O-1", "hoodie", 2, Outcome.RESERVED, null, 0),
					new ReservationOutcome("O-1-3", "O-1", "hoodie", 1, Outcome.REJECTED, "only 0 left", 0),
					new ReservationOutcome("O-1-4", "O-1", "scarf", 1, Outcome.REJECTED,
							"item 'scarf' is not in the catalog", 0));
			assertThat(driver.<String, StockLevel>keyValueStore(Inventory.STORE).get("hoodie"))
				.isEqualTo(new StockLevel("hoodie", 0, 2, 2));
		}
	}

	private ProcessorTestDriver driver(Map<String, Integer> catalog) {
		return ProcessorTestDriver.of(new Inventory(this.serdes, TestShop.properties(catalog)), Map.of(), T0);
	}

	private TestInputTopic<String, CheckoutEvent> checkout(ProcessorTestDriver driver) {
		return driver.inputTopic(Topics.CHECKOUT, Serdes.String(), this.serdes.of(CheckoutEvent.class));
	}

	private TestOutputTopic<String, ReservationOutcome> outcomes(ProcessorTestDriver driver) {
		return driver.outputTopic(Topics.RESERVATION_OUTCOMES, Serdes.String(),
				this.serdes.of(ReservationOutcome.class));
	}

	private static PaymentStatus validated(String order, Instant at) {
		return new PaymentStatus(order, PaymentStatus.Status.VALIDATED, null, 900, 1, at);
	}

}
