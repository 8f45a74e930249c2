package dev.tributary.query.peer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link PeerClient} against a JDK {@link HttpServer} standing in for another instance.
 */
class PeerClientTests {

	private static final String SECRET = "0123456789abcdef-shared";

	private static final String PATH = "/manage/tributary-peer";

	private static final byte[] REQUEST = "{\"processor\":\"words\"}".getBytes(StandardCharsets.UTF_8);

	private final PeerSigner signer = new PeerSigner(SECRET);

	private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();

	private final AtomicLong written = new AtomicLong();

	private final ExecutorService serverThreads = Executors.newCachedThreadPool();

	private HttpServer server;

	private volatile Handler handler;

	private PeerClient client;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.server.setExecutor(this.serverThreads);
		this.server.createContext("/", (exchange) -> {
			try (exchange) {
				this.connections.add(exchange.getRemoteAddress());
				exchange.getRequestBody().readAllBytes();
				this.handler.handle(exchange);
			}
		});
		this.server.start();
		this.client = client(Duration.ofSeconds(5), 1024 * 1024);
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.stop(0);
		this.serverThreads.shutdownNow();
	}

	@Test
	void sendsASignedRequestAndReturnsTheSignedAnswerWhateverItsStatus() {
		Map<String, String> received = new HashMap<>();
		this.handler = (exchange) -> {
			String timestamp = exchange.getRequestHeaders().getFirst(PeerSigner.TIMESTAMP_HEADER);
			String signature = exchange.getRequestHeaders().getFirst(PeerSigner.SIGNATURE_HEADER);
			received.put("method", exchange.getRequestMethod());
			received.put("path", exchange.getRequestURI().getRawPath());
			received.put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"));
			received.put("problem", String.valueOf(this.signer.requestProblem(exchange.getRequestMethod(),
					exchange.getRequestURI().getRawPath(), timestamp, signature, REQUEST)));
			signed(exchange, 404, "{\"status\":404,\"error\":\"No value\"}".getBytes(StandardCharsets.UTF_8));
		};
		PeerResponse response = this.client.send(host(), REQUEST);
		assertThat(response.status()).isEqualTo(404);
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":404,\"error\":\"No value\"}");
		assertThat(received).containsEntry("method", "POST")
			.containsEntry("path", PATH)
			.containsEntry("contentType", "application/json")
			.containsEntry("problem", "null");
	}

	@Test
	void anUnsignedAnswerIsNotAPeerAnswerAndItsTextIsNotRepeated() {
		this.handler = (exchange) -> send(exchange, 401, null,
				"<html><body>Log in first, operator</body></html>".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(PeerException.class).isThrownBy(() -> this.client.send(host(), REQUEST))
			.satisfies((ex) -> {
				assertThat(ex.getKind()).isEqualTo(PeerException.Kind.NOT_A_PEER_ANSWER);
				assertThat(ex.getHost()).isEqualTo(address());
				assertThat(ex.getMessage()).contains(address())
					.contains("answered 401 without a peer signature")
					.contains("tributary.query.peer.secret")
					.doesNotContain("Log in");
			});
	}

	@Test
	void anAnswerSignedWithAnotherSecretIsNotAPeerAnswer() {
		PeerSigner other = new PeerSigner("another-secret-of-16");
		this.handler = (exchange) -> {
			byte[] body = "{\"value\":1}".getBytes(StandardCharsets.UTF_8);
			send(exchange, 200, other.signResponse(
					exchange.getRequestHeaders().getFirst(PeerSigner.SIGNATURE_HEADER), 200, body), body);
		};
		assertThatExceptionOfType(PeerException.class).isThrownBy(() -> this.client.send(host(), REQUEST))
			.satisfies((ex) -> {
				assertThat(ex.getKind()).isEqualTo(PeerException.Kind.NOT_A_PEER_ANSWER);
				assertThat(ex.getMessage()).contains("with a signature that does not match");
			});
	}

	@Test
	void aHundredMegabyteAnswerFailsAsTooLargeWithoutBeingRead() {
		// Streamed (chunked, no length): the client must stop reading at its limit.
		byte[] chunk = new byte[64 * 1024];
		Arrays.fill(chunk, (byte) 'x');
		long hundredMegabytes = 100L * 1024 * 1024;
		this.handler = (exchange) -> {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				while (this.written.get() < hundredMegabytes) {
					out.write(chunk);
					this.written.addAndGet(chunk.length);
				}
			}
			catch (IOException ex) {
				// the client hung up: expected
			}
		};
		Map<Long, Long> before = allocatedBytes();
		assertThatExceptionOfType(PeerException.class).isThrownBy(() -> this.client.send(host(), REQUEST))
			.satisfies((ex) -> {
				assertThat(ex.getKind()).isEqualTo(PeerException.Kind.TOO_LARGE);
				assertThat(ex.getMessage()).contains(address()).contains("1048576 bytes");
			});
		long allocated = allocatedSince(before);
		assertThat(allocated).as("bytes allocated by every thread during the call").isLessThan(20L * 1024 * 1024);
		assertThat(this.written.get()).as("bytes the server managed to send").isLessThan(hundredMegabytes / 2);
	}

	@Test
	void anAnswerDeclaredLargerThanTheLimitFailsBeforeItsBodyIsRead() {
		this.handler = (exchange) -> {
			exchange.sendResponseHeaders(200, 100L * 1024 * 1024);
			try (OutputStream out = exchange.getResponseBody()) {
				byte[] chunk = new byte[64 * 1024];
				for (int i = 0; i < 1600; i++) {
					out.write(chunk);
					this.written.addAndGet(chunk.length);
				}
			}
			catch (IOException ex) {
				// the client hung up: expected
			}
		};
		assertThatExceptionOfType(PeerException.class).isThrownBy(() -> this.client.send(host(), REQUEST))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(PeerException.Kind.TOO_LARGE));
	}

	@Test
	void consecutiveCallsReuseOneConnection() {
		this.handler = (exchange) -> signed(exchange, 200, "{\"value\":1}".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < 25; i++) {
			assertThat(this.client.send(host(), REQUEST).status()).isEqualTo(200);
		}
		assertThat(this.connections).hasSize(1);
	}

	@Test
	void aSlowAnswerTimesOut() {
		this.client.close();
		this.client = client(Duration.ofMillis(300), 1024);
		this.handler = (exchange) -> {
			try {
				Thread.sleep(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		long start = System.nanoTime();
		assertThatExceptionOfType(PeerException.class).isThrownBy(() -> this.client.send(host(), REQUEST))
			.satisfies((ex) -> {
				assertThat(ex.getKind()).isEqualTo(PeerException.Kind.TIMEOUT);
				assertThat(ex.getMessage()).contains(address()).contains("300 ms");
			});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
	}

	@Test
	void anAnswerStillArrivingAtTheDeadlineTimesOutAfterAtMostOneMoreRead() {
		this.client.close();
		this.client = client(Duration.ofMillis(400), 1024 * 1024);
		this.handler = (exchange) -> {
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				// A byte every 100 ms: no single read waits long, the whole answer would take 10 s.
				for (int i = 0; i < 100; i++) {
					out.write('x');
					out.flush();
					Thread.sleep(100);
				}
			}
			catch (IOException ex) {
				// the client hung up: expected
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		long start = System.nanoTime();
		assertThatExceptionOfType(PeerException.class).isThrownBy(() -> this.client.send(host(), REQUEST))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(PeerException.Kind.TIMEOUT));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
	}

	@Test
	void callsAtTheSameTimeEachGetTheirOwnAnswerOverConnectionsOfTheirOwn() throws Exception {
		// Each answer is signed over its request's signature: one handed to the wrong call fails.
		byte[] body = "{\"value\":1}".getBytes(StandardCharsets.UTF_8);
		this.handler = (exchange) -> {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			signed(exchange, 200, body);
		};
		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			List<Future<PeerResponse>> calls = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				calls.add(callers.submit(() -> this.client.send(host(), REQUEST)));
			}
			for (Future<PeerResponse> call : calls) {
				assertThat(call.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(this.connections).as("connections, one per call in flight at once").hasSizeBetween(2, 8);
	}

	@Test
	void aClosedPortIsUnreachable() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		HostInfo closed = new HostInfo("localhost", port);
		assertThatExceptionOfType(PeerException.class).isThrownBy(() -> this.client.send(closed, REQUEST))
			.satisfies((ex) -> {
				assertThat(ex.getKind()).isEqualTo(PeerException.Kind.UNREACHABLE);
				assertThat(ex.getMessage()).contains("localhost:" + port);
			});
	}

	private PeerClient client(Duration timeout, long maxResponseBytes) {
		return new PeerClient(new PeerClient.Settings("http", PATH, Duration.ofSeconds(1), timeout, maxResponseBytes),
				this.signer, null, null);
	}

	private void signed(HttpExchange exchange, int status, byte[] body) throws IOException {
		String request = exchange.getRequestHeaders().getFirst(PeerSigner.SIGNATURE_HEADER);
		send(exchange, status, this.signer.signResponse(request, status, body), body);
	}

	private static void send(HttpExchange exchange, int status, String signature, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		if (signature != null) {
			exchange.getResponseHeaders().set(PeerSigner.SIGNATURE_HEADER, signature);
		}
		exchange.sendResponseHeaders(status, body.length);
		exchange.getResponseBody().write(body);
	}

	private HostInfo host() {
		return new HostInfo("localhost", this.server.getAddress().getPort());
	}

	private String address() {
		return "localhost:" + this.server.getAddress().getPort();
	}

	private static Map<Long, Long> allocatedBytes() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		long[] ids = threads.getAllThreadIds();
		long[] bytes = threads.getThreadAllocatedBytes(ids);
		Map<Long, Long> allocated = new HashMap<>();
		for (int i = 0; i < ids.length; i++) {
			allocated.put(ids[i], bytes[i]);
		}
		return allocated;
	}

	private static long allocatedSince(Map<Long, Long> before) {
		long total = 0;
		for (Map.Entry<Long, Long> entry : allocatedBytes().entrySet()) {
			if (entry.getValue() > 0) {
				total += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
			}
		}
		return total;
	}

	@FunctionalInterface
	private interface Handler {

		void handle(HttpExchange exchange) throws IOException;

	}

}
