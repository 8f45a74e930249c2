package dev.tributary.query;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.query.peer.PeerQueryHandler;
import dev.tributary.query.peer.PeerResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;

/**
 * Answers the queries other instances forward here over the peer channel, the JSON
 * {@code {"processor":..,"store":..,"parameters":{..}}} that {@link RemoteStoreClient}
 * sends, from this instance's local stores only. Errors are answered as the
 * {@code statestores} endpoint answers them: the status of the {@link QueryException}
 * and {@code {"status":..,"error":..}}.
 */
public final class ForwardedQueryHandler implements PeerQueryHandler {

	private static final Log logger = LogFactory.getLog(ForwardedQueryHandler.class);

	private final StateStoreQueryService queries;

	/**
	 * Creates the handler.
	 * @param queries the query service that answers
	 */
	public ForwardedQueryHandler(StateStoreQueryService queries) {
		this.queries = queries;
	}

	@Override
	public PeerResponse handle(byte[] requestBody) {
		Map<String, Object> request = RemoteStoreClient.Json.answer(requestBody);
		Object processor = (request != null) ? request.get("processor") : null;
		Object store = (request != null) ? request.get("store") : null;
		Object parameters = (request != null) ? request.get("parameters") : null;
		if (!(processor instanceof String processorName) || !(store instanceof String storeName)
				|| !(parameters instanceof Map<?, ?> given)) {
			return error(new QueryException(400,
					"Not a forwarded query: expected {\"processor\":..,\"store\":..,\"parameters\":{..}}"));
		}
		Map<String, String> local = new LinkedHashMap<>();
		given.forEach((name, value) -> {
			if (value != null) {
				local.put(String.valueOf(name), String.valueOf(value));
			}
		});
		local.put("local", "true");
		try {
			return json(200, this.queries.query(processorName, storeName, local, null));
		}
		catch (QueryException ex) {
			return error(ex);
		}
	}

	private static PeerResponse error(QueryException ex) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", ex.getStatus());
		body.put("error", ex.getMessage());
		if (ex.getValidName() != null) {
			body.put(ex.getValidName(), ex.getValidValues());
		}
		return json(ex.getStatus(), body);
	}

	private static PeerResponse json(int status, Map<String, Object> body) {
		try {
			return new PeerResponse(status, RemoteStoreClient.Json.MAPPER.writeValueAsBytes(body));
		}
		catch (JacksonException ex) {
			logger.error("Failed to write the answer to a forwarded query", ex);
			return new PeerResponse(500, ("{\"status\":500,\"error\":\"The answer could not be written as JSON\"}")
				.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
	}

}
