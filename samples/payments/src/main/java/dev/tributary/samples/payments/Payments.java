package dev.tributary.samples.payments;

import java.time.Instant;
import java.util.Objects;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jspecify.annotations.Nullable;

/**
 * Validates payments and keeps each order's payment status in the queryable store
 * {@code payment-status}. It is also the checkout's gate: it passes each order's
 * reservations and its first validated payment on to {@code checkout}, in the order
 * they came, so that the inventory never sees a reservation before the payment
 * processor has had its say on the payments that came before it.
 */
@StreamProcessor("payments")
class Payments {

	static final String STORE = "payment-status";

	private final ShopSerdes serdes;

	Payments(ShopSerdes serdes) {
		this.serdes = serdes;
	}

	void topology(StreamsBuilder builder) {
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
				this.serdes.of(PaymentStatus.class)));
		builder.stream(Topics.SHOP_EVENTS, Consumed.with(Serdes.String(), this.serdes.of(ShopEvent.class)))
			// access-log lines are the requests processor's
			.filterNot((key, event) -> event instanceof Request)
			.processValues(PaymentCheck::new, STORE)
			.to(Topics.CHECKOUT, Produced.with(Serdes.String(), this.serdes.of(CheckoutEvent.class)));
	}

	/**
	 * Why a payment is declined.
	 * @param payment the payment
	 * @return the reason, or {@code null} if the payment is valid
	 */
	static @Nullable String declineReason(Payment payment) {
		if (payment.amountCents() <= 0) {
			return "amount must be positive";
		}
		if (!payment.currency().equals("EUR")) {
			return "currency " + payment.currency() + " is not accepted";
		}
		if (payment.card().startsWith("blocked-")) {
			return "card declined";
		}
		return null;
	}

	/**
	 * Decides each payment against the order's status so far: the first valid payment
	 * validates the order; later ones are duplicates, counted and not passed on.
	 */
	private static final class PaymentCheck implements FixedKeyProcessor<String, ShopEvent, CheckoutEvent> {

		private FixedKeyProcessorContext<String, CheckoutEvent> context;

		private KeyValueStore<String, PaymentStatus> statuses;

		@Override
		public void init(FixedKeyProcessorContext<String, CheckoutEvent> context) {
			this.context = context;
			this.statuses = context.getStateStore(STORE);
		}

		@Override
		public void process(FixedKeyRecord<String, ShopEvent> record) {
			if (record.value() instanceof Reservation reservation) {
				requireOrderKey(record.key(), reservation.orderId());
				this.context.forward(record.withValue(reservation));
			}
			else if (record.value() instanceof Payment payment) {
				requireOrderKey(record.key(), payment.orderId());
				PaymentStatus before = this.statuses.get(payment.orderId());
				if (before != null && before.status() == PaymentStatus.Status.VALIDATED) {
					this.statuses.put(payment.orderId(), before.withDuplicate());
					return;
				}
				String reason = declineReason(payment);
				PaymentStatus status = new PaymentStatus(payment.orderId(),
						(reason != null) ? PaymentStatus.Status.DECLINED : PaymentStatus.Status.VALIDATED, reason,
						payment.amountCents(), (before != null) ? before.attempts() + 1 : 1,
						Instant.ofEpochMilli(record.timestamp()));
				this.statuses.put(payment.orderId(), status);
				if (reason == null) {
					this.context.forward(record.withValue(status));
				}
			}
		}

		private static void requireOrderKey(@Nullable String key, String orderId) {
			if (!Objects.equals(key, orderId)) {
				throw new IllegalArgumentException("Record key '" + key + "' is not the event's order id '" + orderId
						+ "'; payments and reservations are keyed by their order id");
			}
		}

	}

}
