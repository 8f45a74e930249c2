package dev.tributary.query;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.query.peer.PeerClient;
import dev.tributary.query.peer.PeerException;
import dev.tributary.query.peer.PeerResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forwards a query to another instance over the peer channel ({@link PeerClient}), as
 * the JSON {@code {"processor":..,"store":..,"parameters":{..}}} that
 * {@link ForwardedQueryHandler} answers there. Only ever called with hosts taken from
 * Kafka Streams' metadata. The caller's credentials are never passed on: instances
 * authenticate each other with {@code tributary.query.peer.secret}.
 */
final class RemoteStoreClient {

	private final @Nullable PeerClient peer;

	/**
	 * Creates the client.
	 * @param peer the peer channel, or {@code null} when no secret is configured and
	 * queries cannot be forwarded
	 */
	RemoteStoreClient(@Nullable PeerClient peer) {
		this.peer = peer;
	}

	/**
	 * Asks another instance to answer from its local stores only.
	 * @param authorization ignored: credentials are never forwarded
	 * @return the JSON answer
	 * @throws QueryException with the remote status, or 503 if it cannot be reached
	 */
	Map<String, Object> query(HostInfo host, String processor, String store, Map<String, String> parameters,
			@Nullable String authorization) {
		String address = host.host() + ":" + host.port();
		PeerClient client = this.peer;
		if (client == null) {
			throw QueryException.unavailable("The data is held by instance " + address
					+ ", and queries are not forwarded to other instances: set tributary.query.peer.secret, the "
					+ "same on every instance");
		}
		PeerResponse response;
		try {
			response = client.send(host, Json.request(processor, store, parameters));
		}
		catch (PeerException ex) {
			throw new QueryException((ex.getKind() == PeerException.Kind.TOO_LARGE) ? 502 : 503, ex.getMessage());
		}
		Map<String, Object> body = Json.answer(response.body());
		if (body == null) {
			throw QueryException.unavailable(
					"Instance " + address + " answered " + response.status() + " with a body that is not a query answer");
		}
		if (response.status() >= 400) {
			Object message = body.get("error");
			throw new QueryException(response.status(),
					"Instance " + address + " answered " + response.status() + ((message != null) ? ": " + message : ""));
		}
		return body;
	}

	/**
	 * The JSON of forwarded queries; Jackson is only needed once queries are forwarded.
	 */
	static final class Json {

		static final JsonMapper MAPPER = JsonMapper.builder().build();

		private Json() {
		}

		static byte[] request(String processor, String store, Map<String, String> parameters) {
			Map<String, Object> request = new LinkedHashMap<>();
			request.put("processor", processor);
			request.put("store", store);
			request.put("parameters", parameters);
			return MAPPER.writeValueAsBytes(request);
		}

		@SuppressWarnings("unchecked")
		static @Nullable Map<String, Object> answer(byte[] body) {
			try {
				Object answer = MAPPER.readValue(body, Object.class);
				return (answer instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
			}
			catch (JacksonException ex) {
				return null;
			}
		}

	}

}
