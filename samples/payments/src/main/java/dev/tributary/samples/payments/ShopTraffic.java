package dev.tributary.samples.payments;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A simulated shop: customers browse, put items in orders and pay for them (or not, or
 * too late, or twice), and now and then something sends an event nobody can read. The
 * same seed gives the same events, so the tests know what to expect.
 *
 * <p>Each order reserves one to three items, one of each, and then, 20 s or less after
 * its reservations unless said otherwise:
 * <ul>
 * <li>62 %: pays;</li>
 * <li>4 %: pays first, and its reservations follow within 10 s (an express checkout);</li>
 * <li>7 %: is declined, then pays;</li>
 * <li>5 %: is declined, and gives up;</li>
 * <li>6 %: pays 45 to 80 s later, after the payment window;</li>
 * <li>6 %: never pays;</li>
 * <li>10 %: pays, and the same payment arrives again.</li>
 * </ul>
 * Every event is timestamped with its time in the simulation.
 */
public final class ShopTraffic {

	private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private final Random random;

	private final List<String> items;

	private final Function<ShopEvent, String> json;

	private final String runId;

	private final PriorityQueue<Event> scheduled = new PriorityQueue<>(
			Comparator.comparingLong(Event::timestamp).thenComparingLong(Event::sequence));

	private long nextOrderAt;

	private long sequence;

	private int orders;

	/**
	 * A simulation.
	 * @param seed the random seed
	 * @param start when the first order starts
	 * @param items the catalog's items
	 * @param json how an event becomes the JSON text a producer sends
	 */
	public ShopTraffic(long seed, Instant start, Collection<String> items, Function<ShopEvent, String> json) {
		this.random = new Random(seed);
		this.items = List.copyOf(new TreeSet<>(items));
		this.json = json;
		this.runId = Integer.toString(1296 + this.random.nextInt(46656 - 1296), 36);
		this.nextOrderAt = start.toEpochMilli();
	}

	/**
	 * Every event up to a time, in time order; orders start at random, at a given rate
	 * on average. Events that come later (payments, late reservations) wait for a later
	 * call.
	 * @param end the time to simulate up to, inclusive
	 * @param ordersPerSecond how many orders start per second, on average
	 * @return the events, oldest first
	 */
	public List<Event> until(Instant end, double ordersPerSecond) {
		long endMillis = end.toEpochMilli();
		while (this.nextOrderAt <= endMillis) {
			startOrder(this.nextOrderAt);
			this.nextOrderAt += (long) Math.ceil(-Math.log(1 - this.random.nextDouble()) * 1000 / ordersPerSecond);
		}
		List<Event> due = new ArrayList<>();
		while (!this.scheduled.isEmpty() && this.scheduled.peek().timestamp() <= endMillis) {
			due.add(this.scheduled.poll());
		}
		return due;
	}

	/**
	 * Every event still to come of the orders started so far, starting no new order: the
	 * end of a finite data set.
	 * @return the events, oldest first
	 */
	public List<Event> rest() {
		List<Event> rest = new ArrayList<>(this.scheduled.size());
		while (!this.scheduled.isEmpty()) {
			rest.add(this.scheduled.poll());
		}
		return rest;
	}

	private void startOrder(long start) {
		String orderId = String.format("O-%s-%05d", this.runId, ++this.orders);
		List<String> lines = new ArrayList<>(this.items);
		Collections.shuffle(lines, this.random);
		lines = lines.subList(0, 1 + this.random.nextInt(Math.min(3, lines.size())));
		long reservationsAt = start;
		String card = String.format("tok_%08x", this.random.nextInt());
		long amount = lines.size() * (500 + this.random.nextInt(4500));
		double scenario = this.random.nextDouble();
		if (scenario < 0.62) {
			pay(orderId, start + seconds(2, 20), amount, card);
		}
		else if (scenario < 0.66) {
			pay(orderId, start, amount, card);
			reservationsAt = start + seconds(2, 10);
		}
		else if (scenario < 0.73) {
			decline(orderId, start + seconds(2, 8), amount);
			pay(orderId, start + seconds(10, 20), amount, card);
		}
		else if (scenario < 0.78) {
			decline(orderId, start + seconds(2, 15), amount);
		}
		else if (scenario < 0.84) {
			pay(orderId, start + seconds(45, 80), amount, card);
		}
		else if (scenario < 0.90) {
			// never paid: its reservations expire
		}
		else {
			long first = start + seconds(2, 10);
			pay(orderId, first, amount, card);
			pay(orderId, first + seconds(1, 10), amount, card);
		}
		for (int line = 0; line < lines.size(); line++) {
			String item = lines.get(line);
			request(reservationsAt, "GET", "/products/" + item, 200);
			schedule(reservationsAt, orderId, new Reservation(orderId + "-" + (line + 1), orderId, item, 1));
		}
		request(reservationsAt, "POST", "/cart", 201);
		for (int view = this.random.nextInt(3); view > 0; view--) {
			boolean search = this.random.nextBoolean();
			request(start + seconds(0, 30), "GET", search ? "/search?q=" + lines.get(0) : "/", 200);
		}
		if (this.random.nextDouble() < 0.02) {
			// A kind of event no processor knows, or one cut off in the middle.
			schedule(start, orderId, this.random.nextBoolean() ? "{\"type\":\"refund\",\"orderId\":\"" + orderId + "\"}"
					: "{\"type\":\"payment\",\"orderId\":\"" + orderId + "\",\"amountCe");
		}
	}

	private void pay(String orderId, long time, long amount, String card) {
		schedule(time, orderId, new Payment(orderId, amount, "EUR", card));
		request(time, "POST", "/checkout", 200);
	}

	private void decline(String orderId, long time, long amount) {
		Payment declined = switch (this.random.nextInt(3)) {
			case 0 -> new Payment(orderId, amount, "EUR", "blocked-" + this.random.nextInt(10_000));
			case 1 -> new Payment(orderId, 0, "EUR", String.format("tok_%08x", this.random.nextInt()));
			default -> new Payment(orderId, amount, "XTS", String.format("tok_%08x", this.random.nextInt()));
		};
		schedule(time, orderId, declined);
		request(time, "POST", "/checkout", 402);
	}

	private void request(long time, String method, String target, int status) {
		String client = "203.0.113." + (1 + this.random.nextInt(254));
		String line = client + " - - [" + LOG_TIME.format(Instant.ofEpochMilli(time)) + "] \"" + method + " " + target
				+ " HTTP/1.1\" " + status + " " + (200 + this.random.nextInt(5000));
		schedule(time, null, new Request(line));
	}

	private void schedule(long time, @Nullable String key, ShopEvent event) {
		schedule(time, key, this.json.apply(event));
	}

	private void schedule(long time, @Nullable String key, String value) {
		this.scheduled.add(new Event(time, this.sequence++, key, value));
	}

	private long seconds(int from, int to) {
		return from * 1000L + this.random.nextInt((to - from) * 1000 + 1);
	}

	/**
	 * One record for {@code shop-events}.
	 *
	 * @param timestamp its time in the simulation, epoch milliseconds
	 * @param sequence the order it was made in, which breaks ties between equal times
	 * @param key the order id of payments and reservations; {@code null} for access-log
	 * lines
	 * @param value the event's JSON text (or, rarely, something that is not an event)
	 */
	public record Event(long timestamp, long sequence, @Nullable String key, String value) {

	}

}
