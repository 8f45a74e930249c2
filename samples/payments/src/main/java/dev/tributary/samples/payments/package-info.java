/**
 * A shop's payments, stock and web traffic: one input topic fanned out to three
 * {@code @StreamProcessor}s, the inventory depending on what the payments processor
 * validated.
 */
@NullMarked
package dev.tributary.samples.payments;

import org.jspecify.annotations.NullMarked;
