/**
 * Async steps: slow, I/O-bound calls with many in flight, in key order, outside the
 * stream threads, through an internal requests topic and a results topic.
 */
@NullMarked
package dev.tributary.async;

import org.jspecify.annotations.NullMarked;
