package dev.tributary.samples.payments;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shop's settings, under {@code shop.*}.
 *
 * @param catalog each item's stock before its first reservation
 * @param inventory the inventory processor's payment window and speed
 * @param requests the request counts' windows
 * @param generator the simulated shop feeding {@code shop-events}
 */
@ConfigurationProperties("shop")
public record ShopProperties(Map<String, Integer> catalog, @DefaultValue Inventory inventory,
		@DefaultValue Requests requests, @DefaultValue Generator generator) {

	public ShopProperties {
		// null when no shop.catalog.* is set at all
		if (catalog == null || catalog.isEmpty()) {
			throw new IllegalArgumentException("shop.catalog lists no item; give each item its stock, e.g. shop.catalog.mug=100");
		}
		catalog.forEach((item, stock) -> {
			if (stock == null || stock < 0) {
				throw new IllegalArgumentException("shop.catalog." + item + " is " + stock + "; a stock is 0 or more");
			}
		});
		catalog = Map.copyOf(catalog);
	}

	/**
	 * The inventory processor.
	 *
	 * @param paymentWindow how far apart a reservation and its order's validated payment
	 * may be, either way round
	 * @param grace how much later than the window's end a record may arrive and still
	 * count; a reservation expires once the window and its grace have passed
	 * @param recordDelay a pause per record read, to play a slow stock system ({@code 0}
	 * for none)
	 */
	public record Inventory(@DefaultValue("30s") Duration paymentWindow, @DefaultValue("10s") Duration grace,
			@DefaultValue("0ms") Duration recordDelay) {

	}

	/**
	 * The requests processor.
	 *
	 * @param grace how late a request may arrive after its minute and still be counted
	 * @param retention how long each minute's counts stay queryable
	 */
	public record Requests(@DefaultValue("5m") Duration grace, @DefaultValue("1h") Duration retention) {

		public Requests {
			if (retention.compareTo(Duration.ofMinutes(1).plus(grace)) < 0) {
				throw new IllegalArgumentException("shop.requests.retention (" + retention
						+ ") must be at least a minute plus shop.requests.grace (" + grace + ")");
			}
		}

	}

	/**
	 * The simulated shop.
	 *
	 * @param enabled whether it runs
	 * @param ordersPerSecond orders started per second, outside a sale
	 * @param saleEvery how often a flash sale starts ({@code 0} for never)
	 * @param saleLength how long a flash sale lasts
	 * @param saleFactor how many times more orders a sale brings
	 */
	public record Generator(@DefaultValue("true") boolean enabled, @DefaultValue("4") double ordersPerSecond,
			@DefaultValue("2m") Duration saleEvery, @DefaultValue("30s") Duration saleLength,
			@DefaultValue("10") double saleFactor) {

	}

}
