package dev.tributary.query;

import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a peer request to another instance and returns its verified answer, whatever its
 * status; a failure to get one is a {@link QueryException} (unavailable when the peer
 * cannot be reached in time, bad peer answer when what came back is no signed answer).
 */
@FunctionalInterface
interface PeerChannel {

	Reply send(HostInfo peer, byte[] body);

	/**
	 * A peer's answer.
	 *
	 * @param status the HTTP status
	 * @param body the JSON body
	 */
	record Reply(int status, byte[] body) {

	}

}
