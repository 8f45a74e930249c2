package dev.tributary.benchmarks.queries;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's HTTP client: the JDK's {@link HttpClient}, HTTP/1.1, which keeps its
 * connections open and reuses them (one per client thread at most), so the figures
 * measure the server rather than connection set-up. Its own threads are named so that
 * {@link CpuMeter} counts them as the client: the executor's {@code query-client-http-N}
 * and the JDK's {@code HttpClient-<id>-SelectorManager}, which does the socket I/O.
 */
public final class BenchmarkHttpClient implements AutoCloseable {

	private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

	private final ExecutorService executor;

	private final HttpClient client;

	private final String selectorThread;

	/**
	 * Creates the client.
	 */
	public BenchmarkHttpClient() {
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, QueryBenchmark.CLIENT_THREAD_PREFIX + "-http-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(this.executor)
			.build();
		// The JDK names its I/O thread after the client's id, which its toString() ends with.
		Matcher id = CLIENT_ID.matcher(this.client.toString());
		this.selectorThread = id.find() ? "HttpClient-" + id.group(1) + "-SelectorManager" : null;
	}

	/**
	 * The client.
	 * @return the JDK client
	 */
	public HttpClient client() {
		return this.client;
	}

	/**
	 * Whether a thread belongs to this client (or to the benchmark's client threads).
	 * @param name the thread's name
	 * @return whether its CPU is the client's
	 */
	public boolean owns(String name) {
		return name.startsWith(QueryBenchmark.CLIENT_THREAD_PREFIX) || name.equals(this.selectorThread);
	}

	/**
	 * Whether the JDK's I/O thread of this client could be told apart from other clients'
	 * (else its CPU is missing from the client's).
	 * @return whether the selector thread is known
	 */
	public boolean knowsSelectorThread() {
		return this.selectorThread != null;
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
