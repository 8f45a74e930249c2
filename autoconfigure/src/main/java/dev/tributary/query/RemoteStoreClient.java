package dev.tributary.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Forwards a query to another instance's {@code statestores} endpoint, with connect and
 * read timeouts. Only ever called with hosts taken from Kafka Streams' metadata.
 */
final class RemoteStoreClient {

	private final RestClient client;

	private final String basePath;

	RemoteStoreClient(Duration connectTimeout, Duration readTimeout, String basePath) {
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(connectTimeout).build());
		factory.setReadTimeout(readTimeout);
		this.client = RestClient.builder().requestFactory(factory).build();
		this.basePath = basePath;
	}

	/**
	 * Asks another instance to answer from its local stores only.
	 * @return the JSON answer
	 * @throws QueryException with the remote status, or 503 if it cannot be reached
	 */
	Map<String, Object> query(HostInfo host, String processor, String store, Map<String, String> parameters,
			@Nullable String authorization) {
		URI uri = uri(host, processor, store, parameters);
		try {
			return this.client.get().uri(uri).headers((headers) -> {
				if (authorization != null) {
					headers.set(HttpHeaders.AUTHORIZATION, authorization);
				}
			}).exchange((request, response) -> {
				int status = response.getStatusCode().value();
				Map<String, Object> body;
				try {
					@SuppressWarnings("unchecked")
					Map<String, Object> json = response.bodyTo(Map.class);
					body = json;
				}
				catch (RestClientException ex) {
					// Not our endpoint's JSON (a proxy's or a security filter's page, say).
					throw QueryException.unavailable("Instance " + host + " answered " + status
							+ " with a body that is not a query answer: " + ex.getMessage());
				}
				if (status >= 400) {
					Object message = (body != null) ? body.get("error") : null;
					throw new QueryException(status, "Instance " + host + " answered " + status
							+ ((message != null) ? ": " + message : ""));
				}
				return (body != null) ? body : Map.of();
			});
		}
		catch (ResourceAccessException ex) {
			throw QueryException.unavailable("Instance " + host + " that holds the data could not be reached: "
					+ ex.getMessage());
		}
		catch (RestClientException ex) {
			throw QueryException.unavailable("Instance " + host + " that holds the data could not be asked: "
					+ ex.getMessage());
		}
	}

	/**
	 * The URI of a forwarded query. Names and values are URI variables, so they are
	 * encoded strictly: {@code +} (base64 keys) becomes {@code %2B} rather than a space,
	 * and braces (JSON keys) are data rather than template variables.
	 */
	URI uri(HostInfo host, String processor, String store, Map<String, String> parameters) {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("processor", processor);
		variables.put("store", store);
		UriComponentsBuilder uri = UriComponentsBuilder.newInstance()
			.scheme("http")
			.host(host.host())
			.port(host.port())
			.path(this.basePath)
			.pathSegment("statestores", "{processor}", "{store}")
			.queryParam("local", "true");
		parameters.forEach((name, value) -> {
			String variable = "p" + variables.size();
			variables.put(variable, value);
			uri.queryParam(name, "{" + variable + "}");
		});
		return uri.encode().buildAndExpand(variables).toUri();
	}

}
