/**
 * Tributary's internal transport between instances of one application: the channel
 * over which an instance forwards an interactive query to the instance that holds the
 * data. Requests and answers are signed with a secret every instance shares
 * ({@code tributary.query.peer.secret}); the secret, not the caller's credentials, is what
 * authenticates a forwarded query. Not an API for applications: the types are public
 * only so that Tributary's other packages can use them, and may change in any release.
 */
@NullMarked
package dev.tributary.query.peer;

import org.jspecify.annotations.NullMarked;
