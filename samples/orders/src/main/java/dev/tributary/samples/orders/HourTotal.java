package dev.tributary.samples.orders;

/**
 * What one region bought locally in one hour: the value of the window store
 * {@code local-sales-per-hour}.
 *
 * @param orders how many orders
 * @param amountCents their total amount (price times quantity), in euro cents
 */
public record HourTotal(long orders, long amountCents) {

	static HourTotal none() {
		return new HourTotal(0, 0);
	}

	HourTotal add(PricedOrder order) {
		return new HourTotal(this.orders + 1, this.amountCents + order.amountCents());
	}

}
