package dev.tributary.samples.payments;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * A customer put an item in an order: stock to reserve once the order is paid.
 *
 * @param reservationId this reservation's id, unique across orders
 * @param orderId the order, also the record key
 * @param item the catalog item
 * @param quantity how many, at least one
 */
@JsonTypeName("reservation")
public record Reservation(String reservationId, String orderId, String item, int quantity)
		implements ShopEvent, CheckoutEvent {

	public Reservation {
		Events.require(reservationId, "reservationId");
		Events.require(orderId, "orderId");
		Events.require(item, "item");
		if (quantity < 1) {
			throw new IllegalArgumentException("Reservation " + reservationId + " has quantity " + quantity
					+ "; it must be at least 1");
		}
	}

}
