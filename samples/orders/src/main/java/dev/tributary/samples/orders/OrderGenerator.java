package dev.tributary.samples.orders;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tributary.query.QueryException;
import dev.tributary.query.StateStoreQueryService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Plays the shop: writes its users and items first, waits until the processor's
 * {@code users} and {@code items} tables hold all of them, and then keeps placing orders
 * (a few seconds out of order, as clients' clocks are; about one in a hundred from an
 * unknown user, and as many for an unknown item). {@link #sendLateOrder} places one
 * late order on purpose. Switch it off with {@code orders.generator.enabled=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "orders.generator.enabled", matchIfMissing = true)
class OrderGenerator {

	private static final Log logger = LogFactory.getLog(OrderGenerator.class);

	private static final double UNKNOWN_SHARE = 0.01;

	private static final long MAX_SKEW_MILLIS = 20_000;

	private final KafkaTemplate<String, String> template;

	private final JsonMapper json;

	private final StateStoreQueryService queries;

	private final Random random = new Random();

	private boolean catalogueSent;

	private boolean tablesLoaded;

	OrderGenerator(KafkaTemplate<String, String> template, JsonMapper json, StateStoreQueryService queries) {
		this.template = template;
		this.json = json;
		this.queries = queries;
	}

	@Scheduled(fixedRateString = "${orders.generator.interval:200ms}")
	void placeOrder() throws Exception {
		if (!this.catalogueSent) {
			sendAll(LocalSales.USERS, Shop.USERS);
			sendAll(LocalSales.ITEMS, Shop.ITEMS);
			this.catalogueSent = true;
		}
		if (!this.tablesLoaded) {
			// An order processed before its user and item would only reach orders-unmatched.
			this.tablesLoaded = holdsAll(LocalSales.USERS, Shop.USERS.size())
					&& holdsAll(LocalSales.ITEMS, Shop.ITEMS.size());
			if (!this.tablesLoaded) {
				return;
			}
			logger.info("Tables users and items loaded; placing orders");
		}
		Instant time = now().minusMillis(this.random.nextLong(MAX_SKEW_MILLIS));
		send(Shop.randomOrder(this.random, time, UNKNOWN_SHARE));
	}

	/**
	 * Places one order of a buyer for an item of the same region, with an order time in
	 * the past.
	 * @param lateBy how long before now the order was placed
	 * @param region the region, or {@code null} for a random one
	 * @return the order sent
	 */
	Order sendLateOrder(Duration lateBy, @Nullable String region) throws Exception {
		String chosen = (region != null) ? region : Shop.REGIONS.get(this.random.nextInt(Shop.REGIONS.size()));
		Order order = Shop.localOrder(this.random, chosen, now().minus(lateBy));
		send(order);
		return order;
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	private void send(Order order) throws Exception {
		send(LocalSales.ORDERS, order.user(), order);
	}

	private void sendAll(String topic, Map<String, ?> values) throws Exception {
		for (Map.Entry<String, ?> entry : values.entrySet()) {
			send(topic, entry.getKey(), entry.getValue());
		}
	}

	private void send(String topic, String key, Object value)
			throws InterruptedException, ExecutionException, TimeoutException {
		this.template.send(topic, key, this.json.writeValueAsString(value)).get(30, TimeUnit.SECONDS);
	}

	private boolean holdsAll(String table, int count) {
		try {
			return this.queries.all(LocalSales.NAME, table, count, null).entries().size() == count;
		}
		catch (QueryException ex) {
			// Not queryable yet: the processor is starting or restoring.
			return false;
		}
	}

}
