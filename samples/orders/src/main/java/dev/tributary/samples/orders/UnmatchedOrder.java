package dev.tributary.samples.orders;

/**
 * An order that could not be joined, as written to topic {@code orders-unmatched}.
 *
 * @param order the order, unchanged
 * @param reason {@value #UNKNOWN_USER} or {@value #UNKNOWN_ITEM}
 */
public record UnmatchedOrder(Order order, String reason) {

	/** No profile in {@code users} for the order's user (or the order had no key). */
	public static final String UNKNOWN_USER = "unknown-user";

	/** No entry in {@code items} for the order's item. */
	public static final String UNKNOWN_ITEM = "unknown-item";

}
