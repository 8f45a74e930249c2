package dev.tributary.test;

import org.springframework.stereotype.Component;

/**
 * A component the slice must leave out.
 */
@Component
class UnrelatedComponent {

}
