package dev.tributary.samples.payments;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the payments processor writes to {@code checkout}, keyed by order id: each order's
 * reservations and its validated payment, in the order they happened.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(Reservation.class), @JsonSubTypes.Type(PaymentStatus.class) })
public sealed interface CheckoutEvent permits Reservation, PaymentStatus {

}
