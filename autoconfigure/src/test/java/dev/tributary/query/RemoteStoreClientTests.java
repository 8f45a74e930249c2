package dev.tributary.query;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Forwarded queries reach the other instance with their parameters intact, and an
 * answer that is not the endpoint's JSON is reported as a retryable 503.
 */
class RemoteStoreClientTests {

	private final RemoteStoreClient client = new RemoteStoreClient(Duration.ofSeconds(2), Duration.ofSeconds(2),
			"/actuator");

	private final AtomicReference<URI> received = new AtomicReference<>();

	private HttpServer peer;

	private String contentType = "application/json";

	private int status = 200;

	private String body = "{\"value\":1}";

	@BeforeEach
	void startPeer() throws IOException {
		this.peer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.peer.createContext("/", (exchange) -> {
			this.received.set(exchange.getRequestURI());
			byte[] bytes = this.body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", this.contentType);
			exchange.sendResponseHeaders(this.status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.peer.start();
	}

	@AfterEach
	void stopPeer() {
		this.peer.stop(0);
	}

	@Test
	void encodesPlusSignsAndBracesSoThePeerReadsTheValuesAsSent() {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("key", "a+b/c==");
		parameters.put("from", "{\"id\":1}");
		parameters.put("to", "50% & more");
		parameters.put("partition", "3");
		Map<String, Object> answer = this.client.query(peer(), "words", "word-counts", parameters, null);
		assertThat(answer).containsEntry("value", 1);
		URI uri = this.received.get();
		assertThat(uri.getRawPath()).isEqualTo("/actuator/statestores/words/word-counts");
		assertThat(uri.getRawQuery()).contains("key=a%2Bb%2Fc%3D%3D").contains("from=%7B%22id%22%3A1%7D");
		assertThat(decode(uri.getRawQuery())).containsEntry("local", "true")
			.containsEntry("key", "a+b/c==")
			.containsEntry("from", "{\"id\":1}")
			.containsEntry("to", "50% & more")
			.containsEntry("partition", "3");
	}

	@Test
	void reportsAnAnswerThatIsNotJsonAsUnavailable() {
		this.status = 401;
		this.contentType = "text/html";
		this.body = "<html><body>Log in first</body></html>";
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> this.client.query(peer(), "words", "word-counts", Map.of("key", "a"), null))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(503);
				assertThat(ex.getMessage()).contains("answered 401");
			});
	}

	@Test
	void passesOnTheStatusAndErrorOfAJsonAnswer() {
		this.status = 404;
		this.body = "{\"status\":404,\"error\":\"No value for key 'a'\"}";
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> this.client.query(peer(), "words", "word-counts", Map.of("key", "a"), null))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(404);
				assertThat(ex.getMessage()).contains("No value for key 'a'");
			});
	}

	private HostInfo peer() {
		return new HostInfo("localhost", this.peer.getAddress().getPort());
	}

	private static Map<String, String> decode(String query) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return parameters;
	}

}
