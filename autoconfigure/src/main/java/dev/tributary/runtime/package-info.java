/**
 * Processor definitions, the managed {@code KafkaStreams} of each processor, its
 * lifecycle and the {@link dev.tributary.runtime.ProcessorRegistry}.
 */
@NullMarked
package dev.tributary.runtime;

import org.jspecify.annotations.NullMarked;
