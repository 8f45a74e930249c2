/**
 * The optional in-process Kafka broker for development ({@code tributary.dev-broker.*}).
 */
@NullMarked
package dev.tributary.devbroker;

import org.jspecify.annotations.NullMarked;
