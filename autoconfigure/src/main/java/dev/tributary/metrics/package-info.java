/**
 * Micrometer meters of processors and async steps.
 */
@NullMarked
package dev.tributary.metrics;

import org.jspecify.annotations.NullMarked;
