package dev.tributary.samples.payments;

import java.time.Instant;
import java.util.List;

import dev.tributary.test.ProcessorTestDriver;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payments processor on Kafka's test driver: what it validates, what it passes on to
 * the inventory, and what it cannot read.
 */
class PaymentsTests {

	private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

	private final ShopSerdes serdes = new ShopSerdes(JsonMapper.builder().build());

	@Test
	void validatesTheFirstValidPaymentOfAnOrderAndPassesItOnOnce() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new Payments(this.serdes))) {
			TestInputTopic<String, String> events = events(driver);
			events.pipeInput("O-1", json(new Payment("O-1", 0, "EUR", "tok_1")), T0);
			events.pipeInput("O-1", json(new Payment("O-1", 1200, "EUR", "tok_1")), T0.plusSeconds(5));
			events.pipeInput("O-1", json(new Payment("O-1", 1200, "EUR", "tok_1")), T0.plusSeconds(6));

			assertThat(checkout(driver).readValuesToList()).singleElement()
				.isEqualTo(new PaymentStatus("O-1", PaymentStatus.Status.VALIDATED, null, 1200, 2, T0.plusSeconds(5)));
			KeyValueStore<String, PaymentStatus> statuses = driver.keyValueStore(Payments.STORE);
			assertThat(statuses.get("O-1"))
				.isEqualTo(new PaymentStatus("O-1", PaymentStatus.Status.VALIDATED, null, 1200, 3, T0.plusSeconds(5)));
		}
	}

	@Test
	void declinesPaymentsWithABadAmountCurrencyOrCardAndPassesNoneOn() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new Payments(this.serdes))) {
			TestInputTopic<String, String> events = events(driver);
			events.pipeInput("O-1", json(new Payment("O-1", 0, "EUR", "tok_1")), T0);
			events.pipeInput("O-2", json(new Payment("O-2", 900, "XTS", "tok_2")), T0);
			events.pipeInput("O-3", json(new Payment("O-3", 900, "EUR", "blocked-7")), T0);

			assertThat(checkout(driver).isEmpty()).isTrue();
			KeyValueStore<String, PaymentStatus> statuses = driver.keyValueStore(Payments.STORE);
			assertThat(List.of("O-1", "O-2", "O-3")).extracting((order) -> statuses.get(order).reason())
				.containsExactly("amount must be positive", "currency XTS is not accepted", "card declined");
			assertThat(statuses.get("O-3").status()).isEqualTo(PaymentStatus.Status.DECLINED);
		}
	}

	@Test
	void passesReservationsOnInOrderAndLeavesAccessLogLinesToTheRequestsProcessor() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new Payments(this.serdes))) {
			TestInputTopic<String, String> events = events(driver);
			Reservation mug = new Reservation("O-1-1", "O-1", "mug", 1);
			events.pipeInput("O-1", json(mug), T0);
			events.pipeInput(null, json(new Request("203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 12")),
					T0);
			events.pipeInput("O-1", json(new Payment("O-1", 900, "EUR", "tok_1")), T0.plusSeconds(1));

			assertThat(checkout(driver).readValuesToList()).containsExactly(mug,
					new PaymentStatus("O-1", PaymentStatus.Status.VALIDATED, null, 900, 1, T0.plusSeconds(1)));
		}
	}

	@Test
	void deadLettersEventsOfNoKnownKindUnreadableOnesAndOnesKeyedByAnotherOrder() {
		try (ProcessorTestDriver driver = ProcessorTestDriver.of(new Payments(this.serdes))) {
			TestInputTopic<String, String> events = events(driver);
			events.pipeInput("O-1", "{\"type\":\"refund\",\"orderId\":\"O-1\"}", T0);
			events.pipeInput("O-2", "{\"type\":\"payment\",\"orderId\":\"O-2\",\"amountCe", T0);
			events.pipeInput("O-3", "{\"type\":\"reservation\",\"orderId\":\"O-3\",\"item\":\"mug\",\"quantity\":1}", T0);
			events.pipeInput("O-4", json(new Payment("O-5", 900, "EUR", "tok_1")), T0);

			TestOutputTopic<String, String> deadLetters = driver.outputTopic("shop-payments-dlq", Serdes.String(),
					Serdes.String());
			assertThat(deadLetters.readKeyValuesToList()).extracting((record) -> record.key)
				.containsExactly("O-1", "O-2", "O-3", "O-4");
			assertThat(checkout(driver).isEmpty()).isTrue();
		}
	}

	private TestInputTopic<String, String> events(ProcessorTestDriver driver) {
		return driver.inputTopic(Topics.SHOP_EVENTS, Serdes.String(), Serdes.String());
	}

	private TestOutputTopic<String, CheckoutEvent> checkout(ProcessorTestDriver driver) {
		return driver.outputTopic(Topics.CHECKOUT, Serdes.String(), this.serdes.of(CheckoutEvent.class));
	}

	private String json(ShopEvent event) {
		return this.serdes.toJson(event);
	}

}
