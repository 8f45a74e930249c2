package dev.tributary.samples.orders;

import org.jspecify.annotations.Nullable;

/**
 * An order with its buyer and its item, after the join with {@code items}.
 *
 * @param order the order
 * @param buyer the buyer's profile
 * @param item the item; {@code null} when the item is not (yet) known
 */
public record PricedOrder(Order order, User buyer, @Nullable Item item) {

	static PricedOrder of(BuyerOrder order, @Nullable Item item) {
		if (order.buyer() == null) {
			throw new IllegalArgumentException("Orders of unknown users are set aside before the item join");
		}
		return new PricedOrder(order.order(), order.buyer(), item);
	}

	/**
	 * Whether the item comes from the region the buyer lives in.
	 * @return whether both are known and the regions are the same
	 */
	public boolean isLocal() {
		return this.item != null && this.item.origin().equals(this.buyer.address());
	}

	/**
	 * What the order costs: price times quantity.
	 * @return the amount in euro cents, 0 while the item is unknown
	 */
	public long amountCents() {
		return (this.item != null) ? this.item.priceCents() * this.order.quantity() : 0;
	}

}
