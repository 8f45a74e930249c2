package dev.tributary.query.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Sends forwarded queries to other instances on Tributary's internal peer channel (see
 * the package description): {@code POST scheme://host:port{path}} with a signed JSON
 * body, and only a signed answer of bounded size is accepted.
 *
 * <p>One JDK {@link HttpClient} serves every call, over HTTP/1.1 (no h2c upgrade) with
 * keep-alive, so that consecutive calls to an instance reuse a connection; its
 * callbacks run on its own selector thread. Each call is a single attempt within the call timeout:
 * whoever calls decides whether, when and where to try again.
 *
 * <p>Thread-safe.
 */
public final class PeerClient implements AutoCloseable {

	private final Settings settings;

	private final PeerSigner signer;

	private final HttpClient client;

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
		HttpClient.Builder builder = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			// Its own callbacks (reading an answer into a bounded buffer) never block: they
			// run on its selector thread instead of being handed to another thread each.
			.executor(Runnable::run);
		if ("https".equals(settings.scheme())) {
			if (sslContext != null) {
				builder.sslContext(sslContext);
			}
			if (sslParameters != null) {
				builder.sslParameters(sslParameters);
			}
		}
		this.client = builder.build();
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
		long timestamp = this.signer.timestamp();
		String signature = this.signer.signRequest("POST", uri.getRawPath(), timestamp, body);
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header(PeerSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
			.header(PeerSigner.SIGNATURE_HEADER, signature)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		CompletableFuture<HttpResponse<byte[]>> call = this.client.sendAsync(request,
				(info) -> new LimitedBodySubscriber(this.settings.maxResponseBytes(),
						info.headers().firstValueAsLong("Content-Length")));
		HttpResponse<byte[]> response = await(call, address);
		String received = response.headers().firstValue(PeerSigner.SIGNATURE_HEADER).orElse(null);
		if (!this.signer.isAuthenticResponse(signature, response.statusCode(), response.body(), received)) {
			throw new PeerException(PeerException.Kind.NOT_A_PEER_ANSWER, address, "Instance " + address + " answered "
					+ response.statusCode() + ((received != null) ? " with a signature that does not match"
							: " without a peer signature")
					+ ": not a Tributary instance's answer (a proxy or a security filter in between?), or its "
					+ "tributary.query.peer.secret differs from this instance's");
		}
		return new PeerResponse(response.statusCode(), response.body());
	}

	private HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> call, String address) {
		try {
			return call.get(this.settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			call.cancel(true);
			throw timeout(address, ex);
		}
		catch (InterruptedException ex) {
			call.cancel(true);
			Thread.currentThread().interrupt();
			throw new PeerException(PeerException.Kind.UNREACHABLE, address,
					"Interrupted while waiting for instance " + address, ex);
		}
		catch (ExecutionException ex) {
			throw failure(address, (ex.getCause() != null) ? ex.getCause() : ex);
		}
	}

	private PeerException failure(String address, Throwable cause) {
		for (Throwable candidate = cause; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof TooLargeException) {
				return new PeerException(PeerException.Kind.TOO_LARGE, address,
						"Instance " + address + " answered with more than " + this.settings.maxResponseBytes()
								+ " bytes (tributary.query.peer.max-response-size)");
			}
			if (candidate instanceof HttpConnectTimeoutException || candidate instanceof ConnectException) {
				return new PeerException(PeerException.Kind.UNREACHABLE, address,
						"Instance " + address + " could not be reached: " + describe(candidate), cause);
			}
			if (candidate instanceof HttpTimeoutException) {
				return timeout(address, cause);
			}
			if (candidate instanceof SSLException) {
				return new PeerException(PeerException.Kind.UNREACHABLE, address, "TLS with instance " + address
						+ " failed (check tributary.query.peer.ssl-bundle): " + describe(candidate), cause);
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
	 * Stops the client's threads.
	 */
	@Override
	public void close() {
		if (this.client instanceof AutoCloseable closeable) {
			// Java 21 and later: close the selector thread and connections now.
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// closing: nothing to do about it
			}
		}
	}

	/**
	 * An answer larger than allowed.
	 */
	private static final class TooLargeException extends IOException {

		TooLargeException() {
			super("Answer too large");
		}

	}

	/**
	 * Reads an answer into memory up to a limit, one buffer at a time; past the limit it
	 * cancels the exchange, so the rest is never read, let alone kept.
	 */
	private static final class LimitedBodySubscriber implements BodySubscriber<byte[]> {

		private final long limit;

		private final OptionalLong declaredLength;

		private final CompletableFuture<byte[]> body = new CompletableFuture<>();

		private @Nullable ByteArrayOutputStream buffer;

		private Flow.@Nullable Subscription subscription;

		private long received;

		LimitedBodySubscriber(long limit, OptionalLong declaredLength) {
			this.limit = limit;
			this.declaredLength = declaredLength;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			if (this.declaredLength.isPresent() && this.declaredLength.getAsLong() > this.limit) {
				subscription.cancel();
				this.body.completeExceptionally(new TooLargeException());
				return;
			}
			this.subscription = subscription;
			int initial = (int) Math.min(this.limit, this.declaredLength.orElse(8192));
			this.buffer = new ByteArrayOutputStream(Math.max(initial, 32));
			subscription.request(1);
		}

		@Override
		public void onNext(List<ByteBuffer> items) {
			ByteArrayOutputStream out = this.buffer;
			Flow.Subscription subscription = this.subscription;
			if (out == null || subscription == null || this.body.isDone()) {
				return;
			}
			for (ByteBuffer item : items) {
				this.received += item.remaining();
				if (this.received > this.limit) {
					this.buffer = null;
					subscription.cancel();
					this.body.completeExceptionally(new TooLargeException());
					return;
				}
				if (item.hasArray()) {
					out.write(item.array(), item.arrayOffset() + item.position(), item.remaining());
				}
				else {
					byte[] bytes = new byte[item.remaining()];
					item.get(bytes);
					out.write(bytes, 0, bytes.length);
				}
			}
			subscription.request(1);
		}

		@Override
		public void onError(Throwable throwable) {
			this.buffer = null;
			this.body.completeExceptionally(throwable);
		}

		@Override
		public void onComplete() {
			ByteArrayOutputStream out = this.buffer;
			this.buffer = null;
			this.body.complete((out != null) ? out.toByteArray() : new byte[0]);
		}

	}

}
