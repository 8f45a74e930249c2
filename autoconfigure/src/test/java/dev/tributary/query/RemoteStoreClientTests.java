package dev.tributary.query;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.query.peer.PeerClient;
import dev.tributary.query.peer.PeerSigner;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Forwarded queries reach the other instance as JSON with their parameters intact and
 * without the caller's credentials; answers that are not the other instance's are
 * reported as a retryable 503 without their text.
 */
class RemoteStoreClientTests {

	private static final PeerSigner signer = new PeerSigner("remote-store-client-secret");

	private final AtomicReference<String> received = new AtomicReference<>();

	private final List<String> headers = new ArrayList<>();

	private HttpServer peer;

	private PeerClient peerClient;

	private RemoteStoreClient client;

	private boolean signed = true;

	private int status = 200;

	private String body = "{\"value\":1}";

	@BeforeEach
	void startPeer() throws IOException {
		this.peer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.peer.createContext("/", (exchange) -> {
			this.received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			this.headers.addAll(exchange.getRequestHeaders().keySet());
			byte[] bytes = this.body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			if (this.signed) {
				exchange.getResponseHeaders()
					.set(PeerSigner.SIGNATURE_HEADER, signer.signResponse(
							exchange.getRequestHeaders().getFirst(PeerSigner.SIGNATURE_HEADER), this.status, bytes));
			}
			exchange.sendResponseHeaders(this.status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.peer.start();
		this.peerClient = new PeerClient(new PeerClient.Settings("http", "/actuator/tributary-peer",
				Duration.ofSeconds(2), Duration.ofSeconds(2), 1024 * 1024), signer, null, null);
		this.client = new RemoteStoreClient(this.peerClient);
	}

	@AfterEach
	void stopPeer() {
		this.peerClient.close();
		this.peer.stop(0);
	}

	@Test
	void sendsTheQueryAsJsonWithItsParametersIntactAndNoCredentials() {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("key", "a+b/c==");
		parameters.put("from", "{\"id\":1}");
		parameters.put("to", "50% & more");
		parameters.put("partition", "3");
		Map<String, Object> answer = this.client.query(peer(), "words", "word-counts", parameters,
				"Basic b3BlcmF0b3I6b3BlcmF0b3I=");
		assertThat(answer).containsEntry("value", 1);
		String json = this.received.get();
		assertThat(JsonPath.<String>read(json, "$.processor")).isEqualTo("words");
		assertThat(JsonPath.<String>read(json, "$.store")).isEqualTo("word-counts");
		assertThat(JsonPath.<Map<String, String>>read(json, "$.parameters")).containsExactlyEntriesOf(parameters);
		assertThat(this.headers).map(String::toLowerCase).doesNotContain("authorization");
	}

	@Test
	void reportsAnAnswerThatIsNotSignedAsUnavailableWithoutItsText() {
		this.signed = false;
		this.status = 401;
		this.body = "<html><body>Log in first</body></html>";
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> this.client.query(peer(), "words", "word-counts", Map.of("key", "a"), null))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(503);
				assertThat(ex.getMessage()).contains("answered 401 without a peer signature").doesNotContain("Log in");
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

	@Test
	void withoutAPeerChannelSaysHowToConfigureOne() {
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> new RemoteStoreClient(null).query(peer(), "words", "word-counts", Map.of("key", "a"),
					null))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(503);
				assertThat(ex.getMessage()).contains("tributary.query.peer.secret");
			});
	}

	private HostInfo peer() {
		return new HostInfo("localhost", this.peer.getAddress().getPort());
	}

}
