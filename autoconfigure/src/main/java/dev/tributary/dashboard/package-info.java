/**
 * The operator's dashboard: a page served from the application (its HTML, JavaScript and
 * libraries, under {@code tributary.dashboard.path}) that reads everything from the
 * Actuator endpoints, so whatever protects Actuator protects it, and the data those
 * endpoints lacked: each processor's group lag with its recent history and its latest
 * dead letters.
 */
@NullMarked
package dev.tributary.dashboard;

import org.jspecify.annotations.NullMarked;
