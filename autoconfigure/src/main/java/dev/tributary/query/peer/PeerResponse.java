package dev.tributary.query.peer;

/**
 * An answer on Tributary's internal peer channel (see the package description): the
 * HTTP status and the JSON body an instance answers a forwarded query with.
 *
 * @param status the HTTP status
 * @param body the JSON body
 */
public record PeerResponse(int status, byte[] body) {

}
