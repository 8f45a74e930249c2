package dev.tributary.samples.orders;

import java.time.Instant;
import java.util.Objects;

/**
 * An order, as the shop writes it to topic {@code orders} (keyed by the user's name).
 * An order without a user, item or time, or with a quantity below 1, cannot be read: it
 * goes to the processor's dead-letter topic instead of into any hour.
 *
 * @param user the buyer's name
 * @param item the item's name
 * @param orderTime when the order was placed; its hour is the one it counts in
 * @param quantity how many of the item
 */
public record Order(String user, String item, Instant orderTime, int quantity) {

	public Order {
		Objects.requireNonNull(user, "user");
		Objects.requireNonNull(item, "item");
		Objects.requireNonNull(orderTime, "orderTime");
		if (quantity < 1) {
			throw new IllegalArgumentException("quantity must be at least 1, not " + quantity);
		}
	}

}
