/**
 * Actuator endpoints ({@code streams}, {@code statestores}) and the {@code streams} health
 * component with its readiness and liveness contributions. Text parsing and JSON of
 * queries live here, at the edge; the query layer itself is typed.
 */
@NullMarked
package dev.tributary.actuate;

import org.jspecify.annotations.NullMarked;
