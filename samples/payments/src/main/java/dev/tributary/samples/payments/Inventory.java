package dev.tributary.samples.payments;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jspecify.annotations.Nullable;

/**
 * Reserves stock for paid orders. Reads {@code checkout}, joins each reservation with its
 * order's validated payment within the payment window (a left join: a reservation that
 * sees none is emitted on its own once the window and its grace have passed), takes the
 * paid ones from the item's stock in the queryable store {@code stock} (never below zero)
 * and writes exactly one outcome per reservation to {@code reservation-outcomes}.
 */
@StreamProcessor("inventory")
class Inventory {

	static final String STORE = "stock";

	private final ShopSerdes serdes;

	private final ShopProperties shop;

	Inventory(ShopSerdes serdes, ShopProperties shop) {
		this.serdes = serdes;
		this.shop = shop;
	}

	void topology(StreamsBuilder builder) {
		Serde<Reservation> reservationSerde = this.serdes.of(Reservation.class);
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
				this.serdes.of(StockLevel.class)));

		KStream<String, CheckoutEvent> checkout = builder
			.stream(Topics.CHECKOUT, Consumed.with(Serdes.String(), this.serdes.of(CheckoutEvent.class)))
			.peek((order, event) -> slowDown(this.shop.inventory().recordDelay()));
		KStream<String, Reservation> reservations = checkout.flatMapValues(
				(event) -> (event instanceof Reservation reservation) ? List.of(reservation) : List.of(),
				Named.as("reservations"));
		KStream<String, PaymentStatus> payments = checkout.flatMapValues(
				(event) -> (event instanceof PaymentStatus payment) ? List.of(payment) : List.of(),
				Named.as("validated-payments"));

		Map<String, KStream<String, PaymentMatch>> matched = reservations
			.leftJoin(payments, PaymentMatch::new,
					JoinWindows.ofTimeDifferenceAndGrace(this.shop.inventory().paymentWindow(),
							this.shop.inventory().grace()),
					StreamJoined.with(Serdes.String(), reservationSerde, this.serdes.of(PaymentStatus.class))
						.withName("payment-window")
						.withStoreName("payment-window"))
			.split(Named.as("payment-"))
			.branch((order, match) -> match.payment() != null, Branched.as("found"))
			.defaultBranch(Branched.as("missing"));

		KStream<String, ReservationOutcome> expired = matched.get("payment-missing")
			.mapValues((match) -> ReservationOutcome.expired(match.reservation()), Named.as("expired"));
		KStream<String, ReservationOutcome> decided = matched.get("payment-found")
			.map((order, match) -> KeyValue.pair(match.reservation().item(), match.reservation()), Named.as("by-item"))
			// one item's reservations meet in one task, in one order, so the stock never goes below zero
			.repartition(Repartitioned.with(Serdes.String(), reservationSerde).withName("by-item"))
			.processValues(() -> new StockKeeper(this.shop.catalog()), Named.as("stock-keeper"), STORE)
			.selectKey((item, outcome) -> outcome.orderId(), Named.as("by-order"));
		expired.merge(decided, Named.as("outcomes"))
			.to(Topics.RESERVATION_OUTCOMES, Produced.with(Serdes.String(), this.serdes.of(ReservationOutcome.class)));
	}

	private static void slowDown(Duration delay) {
		if (!delay.isZero()) {
			try {
				Thread.sleep(delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * A reservation and its order's validated payment in the window, if there was one.
	 */
	private record PaymentMatch(Reservation reservation, @Nullable PaymentStatus payment) {

	}

	/**
	 * Takes paid reservations from their item's stock, or rejects them when it is not there.
	 */
	private static final class StockKeeper implements FixedKeyProcessor<String, Reservation, ReservationOutcome> {

		private final Map<String, Integer> catalog;

		private FixedKeyProcessorContext<String, ReservationOutcome> context;

		private KeyValueStore<String, StockLevel> stock;

		StockKeeper(Map<String, Integer> catalog) {
			this.catalog = catalog;
		}

		@Override
		public void init(FixedKeyProcessorContext<String, ReservationOutcome> context) {
			this.context = context;
			this.stock = context.getStateStore(STORE);
		}

		@Override
		public void process(FixedKeyRecord<String, Reservation> record) {
			Reservation reservation = record.value();
			Integer initial = this.catalog.get(reservation.item());
			if (initial == null) {
				this.context.forward(record.withValue(ReservationOutcome.rejected(reservation,
						"item '" + reservation.item() + "' is not in the catalog", 0)));
				return;
			}
			StockLevel level = this.stock.get(reservation.item());
			if (level == null) {
				level = StockLevel.initial(reservation.item(), initial);
			}
			ReservationOutcome outcome;
			if (reservation.quantity() <= level.left()) {
				level = level.reserve(reservation.quantity());
				outcome = ReservationOutcome.reserved(reservation, level.left());
			}
			else {
				outcome = ReservationOutcome.rejected(reservation, "only " + level.left() + " left", level.left());
				level = level.reject();
			}
			this.stock.put(reservation.item(), level);
			this.context.forward(record.withValue(outcome));
		}

	}

}
