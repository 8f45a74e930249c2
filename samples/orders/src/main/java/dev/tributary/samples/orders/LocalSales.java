package dev.tributary.samples.orders;

import java.time.Duration;

import dev.tributary.StreamProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.support.serializer.JacksonJsonSerde;

/**
 * Per region and hour of order time, counts the orders whose item comes from the buyer's
 * own region, and their total amount.
 *
 * <p>Orders join their buyer's profile directly: {@code orders} and {@code users} are
 * both keyed by user name and have the same partition count. To join the item, the
 * orders are re-keyed by item name and repartitioned explicitly to the partition count of
 * {@code items}. The local ones are then grouped by region into one-hour windows that
 * accept late orders for {@link #GRACE}; the window store {@value #STORE} is queryable,
 * and so are the tables {@value #USERS} and {@value #ITEMS}. An order whose user or item
 * is unknown goes to {@value #UNMATCHED}, keyed by user as in {@code orders}, and is
 * counted in {@code orders.unmatched}.
 */
@StreamProcessor(LocalSales.NAME)
class LocalSales {

	/** The processor's name. */
	static final String NAME = "local-sales";

	static final String ORDERS = "orders";

	static final String USERS = "users";

	static final String ITEMS = "items";

	static final String UNMATCHED = "orders-unmatched";

	/** The window store: key region, one window per hour of order time. */
	static final String STORE = "local-sales-per-hour";

	/** Partitions of {@code orders} and {@code users}, which join as they are. */
	static final int USER_PARTITIONS = 3;

	/** Partitions of {@code items}: the orders are repartitioned to as many to join it. */
	static final int ITEM_PARTITIONS = 6;

	static final Duration HOUR = Duration.ofHours(1);

	/** How long after its hour's end a window still takes late orders. */
	static final Duration GRACE = Duration.ofMinutes(10);

	/** How long windows stay queryable, in order time. */
	static final Duration RETENTION = Duration.ofDays(7);

	private final Serde<Order> orderSerde;

	private final Serde<User> userSerde;

	private final Serde<Item> itemSerde;

	private final Serde<BuyerOrder> buyerOrderSerde;

	private final Serde<PricedOrder> pricedOrderSerde;

	private final Serde<HourTotal> hourTotalSerde;

	private final Serde<UnmatchedOrder> unmatchedSerde;

	private final Counter unknownUsers;

	private final Counter unknownItems;

	LocalSales(JsonMapper json, MeterRegistry meters) {
		this.orderSerde = serde(Order.class, json);
		this.userSerde = serde(User.class, json);
		this.itemSerde = serde(Item.class, json);
		this.buyerOrderSerde = serde(BuyerOrder.class, json);
		this.pricedOrderSerde = serde(PricedOrder.class, json);
		this.hourTotalSerde = serde(HourTotal.class, json);
		this.unmatchedSerde = serde(UnmatchedOrder.class, json);
		this.unknownUsers = unmatchedCounter(meters, UnmatchedOrder.UNKNOWN_USER);
		this.unknownItems = unmatchedCounter(meters, UnmatchedOrder.UNKNOWN_ITEM);
	}

	void topology(StreamsBuilder builder) {
		KTable<String, User> users = builder.table(USERS, Consumed.with(Serdes.String(), this.userSerde),
				Materialized.<String, User, KeyValueStore<Bytes, byte[]>>as(USERS)
					.withKeySerde(Serdes.String())
					.withValueSerde(this.userSerde));
		KTable<String, Item> items = builder.table(ITEMS, Consumed.with(Serdes.String(), this.itemSerde),
				Materialized.<String, Item, KeyValueStore<Bytes, byte[]>>as(ITEMS)
					.withKeySerde(Serdes.String())
					.withValueSerde(this.itemSerde));

		// Left joins, so that an order whose user or item is not known yet is set aside, not lost.
		KStream<String, BuyerOrder> withBuyer = builder
			.stream(ORDERS, Consumed.with(Serdes.String(), this.orderSerde)
				.withTimestampExtractor(new OrderTimeExtractor()))
			.leftJoin(users, BuyerOrder::new, Joined.with(Serdes.String(), this.orderSerde, this.userSerde));
		unmatched(withBuyer.filter((user, order) -> order.buyer() == null).mapValues(BuyerOrder::order),
				UnmatchedOrder.UNKNOWN_USER, this.unknownUsers);

		KStream<String, PricedOrder> priced = withBuyer.filter((user, order) -> order.buyer() != null)
			.selectKey((user, order) -> order.order().item())
			// Explicit: items has more partitions than orders, and the join needs the same count.
			.repartition(Repartitioned.<String, BuyerOrder>as("orders-by-item")
				.withKeySerde(Serdes.String())
				.withValueSerde(this.buyerOrderSerde)
				.withNumberOfPartitions(ITEM_PARTITIONS))
			.leftJoin(items, PricedOrder::of, Joined.with(Serdes.String(), this.buyerOrderSerde, this.itemSerde));
		// Keyed by user again, as in orders, so that they can be sent there again as they are.
		unmatched(priced.filter((item, order) -> order.item() == null)
			.map((item, order) -> KeyValue.pair(order.order().user(), order.order())), UnmatchedOrder.UNKNOWN_ITEM,
				this.unknownItems);

		priced.filter((item, order) -> order.isLocal())
			.groupBy((item, order) -> order.buyer().address(),
					Grouped.with("orders-by-region", Serdes.String(), this.pricedOrderSerde))
			.windowedBy(TimeWindows.ofSizeAndGrace(HOUR, GRACE))
			.aggregate(HourTotal::none, (region, order, total) -> total.add(order),
					Materialized.<String, HourTotal, WindowStore<Bytes, byte[]>>as(STORE)
						.withKeySerde(Serdes.String())
						.withValueSerde(this.hourTotalSerde)
						.withRetention(RETENTION));
	}

	private void unmatched(KStream<String, Order> orders, String reason, Counter counter) {
		orders.peek((key, order) -> counter.increment())
			.mapValues((order) -> new UnmatchedOrder(order, reason))
			.to(UNMATCHED, Produced.with(Serdes.String(), this.unmatchedSerde));
	}

	private static Counter unmatchedCounter(MeterRegistry meters, String reason) {
		return Counter.builder("orders.unmatched")
			.tag("reason", reason)
			.description("Orders set aside to " + UNMATCHED + " because their user or item is unknown")
			.register(meters);
	}

	private static <T> Serde<T> serde(Class<T> type, JsonMapper json) {
		return new JacksonJsonSerde<T>(type, json).noTypeInfo().ignoreTypeHeaders();
	}

}
