package dev.tributary.samples.orders;

/**
 * An item of the shop, as topic {@code items} holds it (keyed by the item's name).
 *
 * @param priceCents the price of one, in euro cents
 * @param category the item's category, such as {@code wine}
 * @param origin the region the item comes from, such as {@code tuscany}
 */
public record Item(long priceCents, String category, String origin) {

}
