package dev.tributary.samples.payments;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the shop sends to {@code shop-events}: a JSON object whose {@code type} says which
 * of the three kinds it is. Payments and reservations are keyed by their order id.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(Payment.class), @JsonSubTypes.Type(Reservation.class),
		@JsonSubTypes.Type(Request.class) })
public sealed interface ShopEvent permits Payment, Reservation, Request {

}
