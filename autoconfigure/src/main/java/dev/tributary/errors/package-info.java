/**
 * Bad records and failed writes: Kafka Streams exception handlers that dead-letter, skip
 * or stop, the dead-letter topics and their headers.
 */
@NullMarked
package dev.tributary.errors;

import org.jspecify.annotations.NullMarked;
