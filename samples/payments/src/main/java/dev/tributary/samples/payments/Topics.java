package dev.tributary.samples.payments;

/**
 * The shop's topics.
 */
final class Topics {

	/** Payments, reservations and access-log lines, as the shop sends them. */
	static final String SHOP_EVENTS = "shop-events";

	/** Each order's reservations and validated payment, in order, from the payments processor. */
	static final String CHECKOUT = "checkout";

	/** Exactly one outcome per reservation, from the inventory processor. */
	static final String RESERVATION_OUTCOMES = "reservation-outcomes";

	private Topics() {
	}

}
