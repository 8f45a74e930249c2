package dev.tributary.query.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Sends forwarded queries to other instances on Tributary's internal peer channel (see
 * the package description): {@code POST scheme://host:port{path}} with a signed JSON
 * body, and only a signed answer of bounded size is accepted.
 *
 * <p>Apache HttpClient's classic (blocking) client serves every call, over HTTP/1.1 with
 * a pool of kept-alive connections per instance. A call runs on the calling thread from
 * the request's first byte to the answer's last: a forwarded lookup costs no hand-off to
 * another thread and back, which on a busy machine is most of its latency. Each call is a
 * single attempt within the call timeout: whoever calls decides whether, when and where
 * to try again.
 *
 * <p>Thread-safe.
 */
public final class PeerClient implements AutoCloseable {

	/** Connections kept per instance: enough for the calls a web server's threads make at once. */
	private static final int CONNECTIONS_PER_INSTANCE = 64;

	private static final int READ_CHUNK = 8192;

	private static final ContentType JSON = ContentType.create("application/json");

	private final Settings settings;

	private final PeerSigner signer;

	private final PoolingHttpClientConnectionManager connections;

	private final CloseableHttpClient client;

	/**
	 * Where and how to send.
	 *
	 * @param scheme {@code http} or {@code https}
	 * @param path the path of the peer channel on every instance, including the
	 * management context path
	 * @param connectTimeout how long connecting may take
	 * @param timeout how long a whole call may take, from sending to the last byte of the
	 * answer
	 * @param maxResponseBytes the largest answer read; a larger one fails as
	 * {@link PeerException.Kind#TOO_LARGE}
	 */
	public record Settings(String scheme, String path, Duration connectTimeout, Duration timeout,
			long maxResponseBytes) {

		/**
		 * Checks the settings.
		 * @param scheme {@code http} or {@code https}
		 * @param path the path, starting with {@code /}
		 * @param connectTimeout a positive duration
		 * @param timeout a positive duration
		 * @param maxResponseBytes a positive size below 2 GB
		 */
		public Settings {
			if (!"http".equals(scheme) && !"https".equals(scheme)) {
				throw new IllegalArgumentException("scheme must be http or https, not '" + scheme + "'");
			}
			if (!path.startsWith("/")) {
				throw new IllegalArgumentException("path must start with '/': '" + path + "'");
			}
			if (connectTimeout.isNegative() || connectTimeout.isZero() || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("timeouts must be positive");
			}
			if (maxResponseBytes <= 0 || maxResponseBytes > Integer.MAX_VALUE - 8) {
				throw new IllegalArgumentException("maxResponseBytes must be between 1 and " + (Integer.MAX_VALUE - 8));
			}
		}

	}

	/**
	 * Creates a client.
	 * @param settings where and how to send
	 * @param signer signs requests and verifies answers
	 * @param sslContext for {@code https}: the TLS trust (and client key, if any); the
	 * JDK's default when {@code null}
	 * @param sslParameters for {@code https}: protocols and ciphers, or {@code null} for
	 * the defaults
	 */
	public PeerClient(Settings settings, PeerSigner signer, @Nullable SSLContext sslContext,
			@Nullable SSLParameters sslParameters) {
		this.settings = settings;
		this.signer = signer;
		Timeout callTimeout = Timeout.of(settings.timeout());
		PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnPerRoute(CONNECTIONS_PER_INSTANCE)
			.setMaxConnTotal(4 * CONNECTIONS_PER_INSTANCE)
			.setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).setSoTimeout(callTimeout).build())
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(settings.connectTimeout()))
				.setSocketTimeout(callTimeout)
				// A connection the other instance may have closed while idle is checked
				// before it is used again, rather than failing a call.
				.setValidateAfterInactivity(TimeValue.ofSeconds(1))
				.build());
		if ("https".equals(settings.scheme())) {
			ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create()
				.setSslContext((sslContext != null) ? sslContext : defaultSslContext());
			if (sslParameters != null && sslParameters.getProtocols() != null) {
				tls.setTlsVersions(sslParameters.getProtocols());
			}
			if (sslParameters != null && sslParameters.getCipherSuites() != null) {
				tls.setCiphers(sslParameters.getCipherSuites());
			}
			connections.setTlsSocketStrategy(tls.buildClassic());
		}
		this.connections = connections.build();
		this.client = HttpClients.custom()
			.setConnectionManager(this.connections)
			.setDefaultRequestConfig(RequestConfig.custom()
				.setConnectionRequestTimeout(callTimeout)
				.setResponseTimeout(callTimeout)
				.setRedirectsEnabled(false)
				.build())
			.disableAutomaticRetries()
			.disableRedirectHandling()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.evictIdleConnections(TimeValue.ofSeconds(30))
			.build();
	}

	private static SSLContext defaultSslContext() {
		try {
			return SSLContext.getDefault();
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JDK has no default TLS context", ex);
		}
	}

	/**
	 * Sends a request to another instance and waits for its signed answer: one attempt,
	 * within the call timeout.
	 * @param host the instance, as advertised in {@code application.server}
	 * @param body the JSON request
	 * @return the instance's answer, whatever its status
	 * @throws PeerException if there is no authentic answer in time
	 */
	public PeerResponse send(HostInfo host, byte[] body) {
		String address = host.host() + ":" + host.port();
		URI uri = uri(host, address);
		long deadline = System.nanoTime() + this.settings.timeout().toNanos();
		long timestamp = this.signer.timestamp();
		String signature = this.signer.signRequest("POST", uri.getRawPath(), timestamp, body);
		HttpPost request = new HttpPost(uri);
		request.setHeader("Accept", "application/json");
		request.setHeader(PeerSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
		request.setHeader(PeerSigner.SIGNATURE_HEADER, signature);
		request.setEntity(new ByteArrayEntity(body, JSON));
		PeerResponse response;
		String received;
		try {
			Answer answer = this.client.execute(request, (reply) -> read(request, reply, deadline));
			response = answer.response();
			received = answer.signature();
		}
		catch (IOException ex) {
			throw failure(address, ex);
		}
		if (!this.signer.isAuthenticResponse(signature, response.status(), response.body(), received)) {
			throw new PeerException(PeerException.Kind.NOT_A_PEER_ANSWER, address, "Instance " + address + " answered "
					+ response.status() + ((received != null) ? " with a signature that does not match"
							: " without a peer signature")
					+ ": not a Tributary instance's answer (a proxy or a security filter in between?), or its "
					+ "tributary.query.peer.secret differs from this instance's");
		}
		return response;
	}

	private record Answer(PeerResponse response, @Nullable String signature) {
	}

	/**
	 * Reads an answer into memory up to the size limit and the call's deadline; past
	 * either it gives up, and the connection, whose answer was not read to its end, is
	 * closed rather than used again.
	 */
	private Answer read(HttpPost request, ClassicHttpResponse reply, long deadline) throws IOException {
		Header signature = reply.getFirstHeader(PeerSigner.SIGNATURE_HEADER);
		HttpEntity entity = reply.getEntity();
		byte[] body = (entity != null) ? readBounded(request, entity, deadline) : new byte[0];
		return new Answer(new PeerResponse(reply.getCode(), body), (signature != null) ? signature.getValue() : null);
	}

	private byte[] readBounded(HttpPost request, HttpEntity entity, long deadline) throws IOException {
		long limit = this.settings.maxResponseBytes();
		long declared = entity.getContentLength();
		if (declared > limit) {
			throw abort(request, new TooLargeException());
		}
		byte[] buffer = new byte[(int) ((declared >= 0) ? declared : Math.min(limit, READ_CHUNK))];
		int length = 0;
		InputStream in = entity.getContent();
		while (true) {
			if (length == buffer.length) {
				// Full (as declared, or as first allotted): one more byte tells whether there is more.
				int next = in.read();
				if (next < 0) {
					break;
				}
				if (length == limit) {
					throw abort(request, new TooLargeException());
				}
				buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(READ_CHUNK, 2L * buffer.length)));
				buffer[length++] = (byte) next;
			}
			int read = in.read(buffer, length, buffer.length - length);
			if (read < 0) {
				break;
			}
			length += read;
			if (System.nanoTime() - deadline > 0) {
				throw abort(request, new SocketTimeoutException("The deadline passed while the answer was read"));
			}
		}
		in.close();
		return (length == buffer.length) ? buffer : Arrays.copyOf(buffer, length);
	}

	/**
	 * Shuts the call's connection, so that the rest of an answer is neither read nor
	 * drained to reuse the connection.
	 */
	private static IOException abort(HttpPost request, IOException failure) {
		request.cancel();
		return failure;
	}

	private PeerException failure(String address, Throwable cause) {
		if (cause instanceof TooLargeException) {
			return new PeerException(PeerException.Kind.TOO_LARGE, address,
					"Instance " + address + " answered with more than " + this.settings.maxResponseBytes()
							+ " bytes (tributary.query.peer.max-response-size)");
		}
		for (Throwable candidate = cause; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof ConnectTimeoutException || candidate instanceof ConnectException) {
				return new PeerException(PeerException.Kind.UNREACHABLE, address,
						"Instance " + address + " could not be reached: " + describe(candidate), cause);
			}
			if (candidate instanceof SocketTimeoutException
					|| candidate instanceof ConnectionRequestTimeoutException) {
				return timeout(address, cause);
			}
			if (candidate instanceof SSLException) {
				return new PeerException(PeerException.Kind.UNREACHABLE, address, "TLS with instance " + address
						+ " failed (check tributary.query.peer.ssl-bundle): " + describe(candidate), cause);
			}
			if (candidate instanceof InterruptedIOException) {
				Thread.currentThread().interrupt();
				return new PeerException(PeerException.Kind.UNREACHABLE, address,
						"Interrupted while waiting for instance " + address, cause);
			}
		}
		return new PeerException(PeerException.Kind.UNREACHABLE, address,
				"Instance " + address + " could not be asked: " + describe(cause), cause);
	}

	private PeerException timeout(String address, Throwable cause) {
		return new PeerException(PeerException.Kind.TIMEOUT, address, "Instance " + address + " did not answer within "
				+ this.settings.timeout().toMillis() + " ms (tributary.query.read-timeout)", cause);
	}

	private static String describe(Throwable failure) {
		return (failure.getMessage() != null) ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
				: failure.getClass().getSimpleName();
	}

	private URI uri(HostInfo host, String address) {
		try {
			return new URI(this.settings.scheme(), null, host.host(), host.port(), this.settings.path(), null, null);
		}
		catch (URISyntaxException ex) {
			throw new PeerException(PeerException.Kind.UNREACHABLE, address,
					"Instance " + address + " has no usable address: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Closes the connections and the thread that closes idle ones.
	 */
	@Override
	public void close() {
		this.client.close(CloseMode.IMMEDIATE);
		this.connections.close(CloseMode.IMMEDIATE);
	}

	/**
	 * An answer larger than allowed.
	 */
	private static final class TooLargeException extends IOException {

		TooLargeException() {
			super("Answer too large");
		}

	}

}
