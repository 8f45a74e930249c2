package dev.tributary.samples.payments;

import org.jspecify.annotations.Nullable;

/**
 * How a reservation ended: every reservation gets exactly one, on
 * {@code reservation-outcomes}, keyed by its order id.
 *
 * @param reservationId the reservation
 * @param orderId its order
 * @param item the item
 * @param quantity how many were asked for
 * @param outcome reserved, rejected or expired
 * @param reason why it was rejected or expired; {@code null} when reserved
 * @param stockLeft the item's stock after the decision; {@code null} when expired
 */
public record ReservationOutcome(String reservationId, String orderId, String item, int quantity, Outcome outcome,
		@Nullable String reason, @Nullable Integer stockLeft) {

	/**
	 * The three ways a reservation ends.
	 */
	public enum Outcome {

		/** Paid, and the stock was there: it is taken from the item's stock. */
		RESERVED,

		/** Paid, but there was not enough stock (or the item is not in the catalog). */
		REJECTED,

		/** No validated payment within the payment window. */
		EXPIRED

	}

	static ReservationOutcome reserved(Reservation reservation, int stockLeft) {
		return new ReservationOutcome(reservation.reservationId(), reservation.orderId(), reservation.item(),
				reservation.quantity(), Outcome.RESERVED, null, stockLeft);
	}

	static ReservationOutcome rejected(Reservation reservation, String reason, int stockLeft) {
		return new ReservationOutcome(reservation.reservationId(), reservation.orderId(), reservation.item(),
				reservation.quantity(), Outcome.REJECTED, reason, stockLeft);
	}

	static ReservationOutcome expired(Reservation reservation) {
		return new ReservationOutcome(reservation.reservationId(), reservation.orderId(), reservation.item(),
				reservation.quantity(), Outcome.EXPIRED, "no validated payment within the payment window", null);
	}

}
