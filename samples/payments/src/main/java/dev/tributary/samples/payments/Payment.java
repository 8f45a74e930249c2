package dev.tributary.samples.payments;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * A customer paid (or tried to pay) for an order.
 *
 * @param orderId the order, also the record key
 * @param amountCents the amount, in cents
 * @param currency the currency, ISO 4217
 * @param card the card's token
 */
@JsonTypeName("payment")
public record Payment(String orderId, long amountCents, String currency, String card) implements ShopEvent {

	public Payment {
		Events.require(orderId, "orderId");
		Events.require(currency, "currency");
		Events.require(card, "card");
	}

}
