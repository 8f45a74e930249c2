package dev.tributary.samples.payments;

/**
 * An item's stock: the value of the inventory's store {@code stock}.
 *
 * @param item the item
 * @param left what is left to reserve, never below zero
 * @param reserved how many were reserved
 * @param rejected how many reservations were rejected for want of stock
 */
public record StockLevel(String item, int left, int reserved, int rejected) {

	static StockLevel initial(String item, int stock) {
		return new StockLevel(item, stock, 0, 0);
	}

	StockLevel reserve(int quantity) {
		return new StockLevel(this.item, this.left - quantity, this.reserved + quantity, this.rejected);
	}

	StockLevel reject() {
		return new StockLevel(this.item, this.left, this.reserved, this.rejected + 1);
	}

}
