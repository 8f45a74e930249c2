/**
 * The orders sample: per region and hour of order time, the orders whose item comes from
 * the buyer's own region.
 */
@NullMarked
package dev.tributary.samples.orders;

import org.jspecify.annotations.NullMarked;
