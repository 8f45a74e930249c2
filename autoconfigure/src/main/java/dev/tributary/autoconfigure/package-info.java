/**
 * Spring Boot auto-configuration of Tributary and its {@code tributary.*} properties.
 */
@NullMarked
package dev.tributary.autoconfigure;

import org.jspecify.annotations.NullMarked;
