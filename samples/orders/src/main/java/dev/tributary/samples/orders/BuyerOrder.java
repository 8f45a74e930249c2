package dev.tributary.samples.orders;

import org.jspecify.annotations.Nullable;

/**
 * An order with its buyer's profile, after the join with {@code users}.
 *
 * @param order the order
 * @param buyer the buyer's profile; {@code null} when the user is not (yet) known
 */
public record BuyerOrder(Order order, @Nullable User buyer) {

}
