/**
 * Tributary's defaults for other libraries' logging: levels for Kafka's chatty loggers
 * that the application has not configured, set through Spring Boot's
 * {@link org.springframework.boot.logging.LoggingSystem}, so that a level set with
 * {@code logging.level.*} or in the logging system's own configuration always wins.
 */
@NullMarked
package dev.tributary.logging;

import org.jspecify.annotations.NullMarked;
