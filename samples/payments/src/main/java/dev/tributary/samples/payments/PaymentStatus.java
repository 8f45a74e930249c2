package dev.tributary.samples.payments;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonTypeName;
import org.jspecify.annotations.Nullable;

/**
 * Where an order's payment stands: the value of the payments processor's store
 * {@code payment-status}, and, once {@link Status#VALIDATED}, what it tells the inventory
 * on {@code checkout}.
 *
 * @param orderId the order
 * @param status validated, or declined (so far)
 * @param reason why the last attempt was declined; {@code null} once validated
 * @param amountCents the amount of the last payment that decided the status
 * @param attempts how many payments the order has seen, duplicates included
 * @param updatedAt when the status last changed
 */
@JsonTypeName("payment-status")
public record PaymentStatus(String orderId, Status status, @Nullable String reason, long amountCents, int attempts,
		Instant updatedAt) implements CheckoutEvent {

	/**
	 * An order's payment status.
	 */
	public enum Status {

		/** A payment passed validation; later payments of the order are duplicates. */
		VALIDATED,

		/** Every payment so far was declined; a later one may still be validated. */
		DECLINED

	}

	/**
	 * This status after one more payment that changes nothing (a duplicate).
	 * @return the status with one more attempt
	 */
	PaymentStatus withDuplicate() {
		return new PaymentStatus(this.orderId, this.status, this.reason, this.amountCents, this.attempts + 1,
				this.updatedAt);
	}

}
