package dev.tributary.samples.orders;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the store must answer, worked out from the orders alone with the sample's rules,
 * without its topology: an order joins its user and then its item by name; it counts
 * when the item comes from the buyer's region, in the hour of its order time; an hour
 * takes orders until 10 minutes after its end, in stream time.
 *
 * <p>Stream time is the latest order time an aggregating task has seen, and which task
 * sees which region depends on the partitioning; so an order's verdict is taken only
 * where it is certain: taken if its hour closes after every order time sent so far,
 * dropped if its hour closes before a time its own region has already reached in a batch
 * that was fully processed. A data set with an order in between fails, rather than give
 * an answer that depends on the order in which partitions are read.
 */
final class ExpectedSales {

	private static final Duration HOUR = Duration.ofHours(1);

	private static final Duration GRACE = Duration.ofMinutes(10);

	/** Per hour, per region, the local orders taken. */
	private final Map<Instant, Map<String, HourTotal>> hours = new TreeMap<>();

	/** Orders taken although their hour had ended where they were aggregated. */
	final List<Order> acceptedAfterTheirHour = new ArrayList<>();

	/** Orders past their hour's grace period. */
	final List<Order> dropped = new ArrayList<>();

	/** Orders that could not be joined, by reason. */
	final Map<String, List<Order>> unmatched = new TreeMap<>(
			Map.of(UnmatchedOrder.UNKNOWN_USER, new ArrayList<>(), UnmatchedOrder.UNKNOWN_ITEM, new ArrayList<>()));

	/** The latest order time sent: no stream time is later. */
	private Instant latestSent = Instant.EPOCH;

	/** Per region, the latest local order time processed: its stream time is at least that. */
	private final Map<String, Instant> latestProcessed = new HashMap<>();

	/**
	 * Applies the rules to orders about to be sent together.
	 * @param batch the orders
	 */
	void send(List<Order> batch) {
		for (Order order : batch) {
			this.latestSent = max(this.latestSent, order.orderTime());
		}
		for (Order order : batch) {
			User buyer = Shop.USERS.get(order.user());
			Item item = Shop.ITEMS.get(order.item());
			if (buyer == null || item == null) {
				String reason = (buyer == null) ? UnmatchedOrder.UNKNOWN_USER : UnmatchedOrder.UNKNOWN_ITEM;
				this.unmatched.get(reason).add(order);
				continue;
			}
			String region = buyer.address();
			if (!region.equals(item.origin())) {
				continue;
			}
			Instant hour = order.orderTime().truncatedTo(ChronoUnit.HOURS);
			Instant end = hour.plus(HOUR);
			Instant closes = end.plus(GRACE);
			Instant reached = this.latestProcessed.getOrDefault(region, Instant.EPOCH);
			if (closes.isAfter(this.latestSent)) {
				HourTotal total = this.hours.computeIfAbsent(hour, (key) -> new TreeMap<>())
					.getOrDefault(region, new HourTotal(0, 0));
				this.hours.get(hour)
					.put(region, new HourTotal(total.orders() + 1, total.amountCents() + item.priceCents() * order.quantity()));
				if (!reached.isBefore(end)) {
					this.acceptedAfterTheirHour.add(order);
				}
			}
			else if (!closes.isAfter(reached)) {
				this.dropped.add(order);
			}
			else {
				throw new IllegalStateException("Whether " + order + " is too late depends on the order in which "
						+ "Kafka Streams reads partitions: change the data set");
			}
		}
	}

	/**
	 * Notes that orders sent are all processed.
	 * @param batch the orders
	 */
	void processed(List<Order> batch) {
		for (Order order : batch) {
			User buyer = Shop.USERS.get(order.user());
			Item item = Shop.ITEMS.get(order.item());
			if (buyer != null && item != null && buyer.address().equals(item.origin())) {
				this.latestProcessed.merge(buyer.address(), order.orderTime(), ExpectedSales::max);
			}
		}
	}

	/**
	 * The regions' totals of one hour.
	 * @param hour the hour's start
	 * @return the totals of the regions with local orders in that hour
	 */
	Map<String, HourTotal> hour(Instant hour) {
		return this.hours.getOrDefault(hour, Map.of());
	}

	private static Instant max(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

}
