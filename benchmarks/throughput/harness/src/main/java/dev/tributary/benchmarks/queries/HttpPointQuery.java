package dev.tributary.benchmarks.queries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A key lookup through {@code GET /actuator/statestores/{processor}/{store}?key=K}, the
 * public HTTP API, without credentials (reads need none). Any 2xx answer with a body counts;
 * anything else fails the measurement. Only the documented answer is relied on: JSON with
 * {@code value} and {@code host}.
 */
public final class HttpPointQuery implements PointQuery {

	private static final Pattern HOST = Pattern.compile("\"host\"\\s*:\\s*\"([^\"]*)\"");

	private final String description;

	private final HttpClient client;

	private final String base;

	/**
	 * Creates the query.
	 * @param description what the path is, for the report
	 * @param client the HTTP client
	 * @param baseUri the instance's base URI, such as {@code http://localhost:8080}
	 * @param actuatorPath the Actuator base path, such as {@code /actuator}
	 * @param processor the processor
	 * @param store the store
	 */
	public HttpPointQuery(String description, HttpClient client, String baseUri, String actuatorPath, String processor,
			String store) {
		this.description = description;
		this.client = client;
		this.base = baseUri + actuatorPath + "/statestores/" + processor + "/" + store + "?key=";
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public @Nullable Object get(String key) {
		return answer(key);
	}

	@Override
	public @Nullable String answeredBy(String key) {
		Matcher host = HOST.matcher(answer(key));
		return host.find() ? host.group(1) : null;
	}

	private String answer(String key) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + URLEncoder.encode(key, StandardCharsets.UTF_8)))
			.GET()
			.build();
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2 || response.body().isEmpty()) {
				throw new IllegalStateException("GET " + request.uri() + " answered " + response.statusCode() + ": "
						+ response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("GET " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + request.uri(), ex);
		}
	}

}
