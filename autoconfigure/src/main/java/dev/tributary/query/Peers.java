package dev.tributary.query;

import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Asks other instances: encodes a peer request, sends it over the peer channel, and
 * hands the answer's body back for decoding. Without a channel (no
 * {@code tributary.query.peer.secret}) nothing is forwarded and a query for data held
 * elsewhere says how to turn forwarding on.
 */
final class Peers {

	private final @Nullable PeerChannel channel;

	private final PeerMessages messages;

	Peers(@Nullable PeerChannel channel, PeerMessages messages) {
		this.channel = channel;
		this.messages = messages;
	}

	PeerMessages messages() {
		return this.messages;
	}

	byte[] ask(HostInfo peer, PeerMessages.PeerRequest request, QueryKeyType<Object> keyType) {
		if (this.channel == null) {
			throw QueryException.unavailable("Store '" + request.store() + "' of processor '" + request.processor()
					+ "': the data asked for is held by instance " + peer.host() + ":" + peer.port()
					+ ", and queries are not forwarded between instances: set tributary.query.peer.secret "
					+ "(the same on every instance) to turn forwarding on");
		}
		return this.channel.send(peer, this.messages.encode(request, keyType)).body();
	}

}
