package dev.tributary.query.peer;

/**
 * Answers a forwarded query on Tributary's internal peer channel (see the package
 * description). Called by {@link PeerRequestFilter} only once the request's signature
 * has been verified.
 */
@FunctionalInterface
public interface PeerQueryHandler {

	/**
	 * Answers a forwarded query.
	 * @param requestBody the JSON request, as the forwarding instance sent it
	 * @return the status and JSON body to answer with
	 */
	PeerResponse handle(byte[] requestBody);

}
