/**
 * Test support for applications built with Tributary: {@code ProcessorTestDriver},
 * {@code @StreamProcessorTest} and {@code @InProcessKafka}.
 */
@NullMarked
package dev.tributary.test;

import org.jspecify.annotations.NullMarked;
