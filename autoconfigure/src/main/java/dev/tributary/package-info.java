/**
 * Tributary: run {@link dev.tributary.StreamProcessor} beans as managed Kafka Streams applications.
 * The packages below hold one concern each: {@code runtime} (definitions, lifecycle,
 * registry), {@code query} (interactive queries), {@code actuate} (Actuator endpoints and
 * health), {@code metrics}, {@code rocksdb}, {@code errors}, {@code async}, {@code devbroker}
 * and {@code autoconfigure}.
 */
@NullMarked
package dev.tributary;

import org.jspecify.annotations.NullMarked;
