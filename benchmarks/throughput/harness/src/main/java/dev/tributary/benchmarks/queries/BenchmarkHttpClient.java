package dev.tributary.benchmarks.queries;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's HTTP client: the JDK's {@link HttpClient}, HTTP/1.1, which keeps its
 * connections open and reuses them (one per client thread at most), so the figures
 * measure the server rather than connection set-up.
 *
 * <p>On two cores the client's CPU is taken from the server's, so it is kept small: the
 * client runs its completion tasks on the JDK's own I/O thread (a direct executor)
 * instead of handing each answer to a pool thread and from there to the waiting caller,
 * which halves its CPU per request (44 instead of 87 us in a 16-client run). That I/O
 * thread, {@code HttpClient-<id>-SelectorManager}, is counted as the client's by
 * {@link #owns(String)}.
 */
public final class BenchmarkHttpClient {

	private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

	private final HttpClient client;

	private final String selectorThread;

	/**
	 * Creates the client.
	 */
	public BenchmarkHttpClient() {
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(Runnable::run)
			.build();
		this.selectorThread = selectorThread(this.client);
	}

	/**
	 * The JDK names its I/O thread after the client's id, which the client's
	 * {@code toString()} ends with; the thread runs from the client's creation.
	 */
	private static String selectorThread(HttpClient client) {
		Matcher id = CLIENT_ID.matcher(client.toString());
		if (!id.find()) {
			return null;
		}
		String name = "HttpClient-" + id.group(1) + "-SelectorManager";
		return Thread.getAllStackTraces().keySet().stream().anyMatch((thread) -> thread.getName().equals(name)) ? name
				: null;
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

}
