package dev.tributary.benchmarks.throughput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import dev.tributary.benchmarks.queries.BenchmarkHttpClient;
import dev.tributary.benchmarks.queries.CpuMeter;
import dev.tributary.benchmarks.queries.HttpPointQuery;
import dev.tributary.benchmarks.queries.JavaApiQuery;
import dev.tributary.benchmarks.queries.PointQuery;
import dev.tributary.benchmarks.queries.Profile;
import dev.tributary.benchmarks.queries.QueryBenchmark;
import dev.tributary.benchmarks.queries.QueryResult;
import dev.tributary.benchmarks.queries.QuerySettings;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Key lookups against two web instances of the word-count processor that share the
 * store's partitions, through the public HTTP API ({@code GET /actuator/statestores/...})
 * and through the Java API in the first instance's JVM: keys the asked (first) instance
 * owns are answered locally, the others are forwarded to the second instance. Each path
 * is measured at every configured number of concurrent clients, in several rounds.
 */
public final class HttpQueryStage {

	/**
	 * The HTTP path for keys the asked instance owns.
	 */
	public static final String HTTP_LOCAL = "HTTP `GET /actuator/statestores/...`, local owner";

	/**
	 * The HTTP path for keys the other instance owns.
	 */
	public static final String HTTP_FORWARDED = "HTTP `GET /actuator/statestores/...`, forwarded to the owner";

	/**
	 * The Java API in the asked instance, for keys it owns.
	 */
	public static final String JAVA_LOCAL = "Java API `StateStoreQueryService.get(...)`, local owner";

	/**
	 * The Java API in the asked instance, for keys the other instance owns.
	 */
	public static final String JAVA_FORWARDED = "Java API `StateStoreQueryService.get(...)`, forwarded to the owner";

	private static final String ACTUATOR = "/actuator";

	/**
	 * Spring Security's auto-configuration, excluded unless the sample's security is asked
	 * for: the harness has Spring Security on its class path for that case only.
	 */
	private static final List<String> SECURITY_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration");

	private final String bootstrapServers;

	private final Path workDir;

	private final QuerySettings settings;

	/**
	 * Creates the stage.
	 * @param bootstrapServers the broker
	 * @param workDir where the instances keep their state
	 * @param settings rounds, client counts, durations
	 */
	public HttpQueryStage(String bootstrapServers, Path workDir, QuerySettings settings) {
		this.bootstrapServers = bootstrapServers;
		this.workDir = workDir;
		this.settings = settings;
	}

	/**
	 * Measures the local and the forwarded paths, HTTP and Java API.
	 * @param inputTopic the word-count input, already loaded
	 * @return the results of every round
	 */
	public List<QueryResult> measure(String inputTopic) {
		String applicationId = "bench-http-queries-" + System.nanoTime();
		int[] ports = freePorts(2);
		try (ConfigurableApplicationContext first = start(applicationId, inputTopic, "a", ports[0]);
				ConfigurableApplicationContext second = start(applicationId, inputTopic, "b", ports[1])) {
			BenchmarkHttpClient http = new BenchmarkHttpClient();
			awaitSettled(List.of(first, second));
			if (!http.knowsSelectorThread()) {
				System.out.println("  (the JDK HTTP client's I/O thread is not known: its CPU is not in the client's)");
			}
			String asked = "localhost:" + ports[0];
			String owner = "localhost:" + ports[1];
			System.out.println("  asked instance on " + asked + ", the other (owner of the forwarded keys) on " + owner
					+ "; Spring Security: " + (this.settings.sampleSecurity()
							? "the sample's filter chain (reads permitAll, HTTP Basic), no credentials sent" : "none"));
			Function<String, String> threads = (name) -> {
				if (http.owns(name)) {
					return QueryResult.CLIENT;
				}
				if (name.startsWith("http-nio-" + ports[0] + "-")) {
					return "asked instance's Tomcat";
				}
				if (name.startsWith("http-nio-" + ports[1] + "-")) {
					return "owner instance's Tomcat";
				}
				if (name.startsWith("HttpClient-")) {
					return "instances' HTTP clients";
				}
				return name.contains("StreamThread") ? "stream threads" : null;
			};
			QueryBenchmark benchmark = new QueryBenchmark(this.settings.warmUp(), this.settings.measurement(),
					new CpuMeter(threads));
			String baseUri = "http://" + asked;
			List<QueryPath> paths = List.of(
					new QueryPath(new HttpPointQuery(HTTP_LOCAL, http.client(), baseUri, ACTUATOR, BenchmarkProcessor.NAME,
							Workload.WORD_COUNT_STORE), true, asked),
					new QueryPath(new HttpPointQuery(HTTP_FORWARDED, http.client(), baseUri, ACTUATOR,
							BenchmarkProcessor.NAME, Workload.WORD_COUNT_STORE), false, owner),
					new QueryPath(JavaApiQuery.in(JAVA_LOCAL, first, BenchmarkProcessor.NAME, Workload.WORD_COUNT_STORE),
							true, asked),
					new QueryPath(JavaApiQuery.in(JAVA_FORWARDED, first, BenchmarkProcessor.NAME,
							Workload.WORD_COUNT_STORE), false, owner));
			Keys keys = keys(first, asked, second);
			if (this.settings.profileDirectory() != null) {
				Profile.initialize();
			}
			// The JIT compiles the web stack's paths: as long as one measurement of each before
			// the first round.
			System.out.println("  warming up: every path with " + this.settings.maxClients() + " client(s), "
					+ this.settings.warmUp().plus(this.settings.measurement()).toSeconds() + " s each");
			for (QueryPath path : paths) {
				path.check(keys);
				benchmark.warmUp(path.query(), keys.of(path), this.settings.maxClients(), this.settings.measurement());
			}
			List<QueryResult> results = new ArrayList<>();
			for (int round = 1; round <= this.settings.rounds(); round++) {
				keys = keys(first, asked, second);
				List<Case> cases = new ArrayList<>();
				for (int clients : this.settings.clients()) {
					paths.forEach((path) -> cases.add(new Case(path, clients)));
				}
				if (round % 2 == 0) {
					Collections.reverse(cases);
				}
				for (Case measured : cases) {
					measured.path().check(keys);
					Profile profile = profile(measured, round, threads);
					if (profile != null) {
						profile.begin();
					}
					results.add(benchmark.measure(measured.path().query(), keys.of(measured.path()), measured.clients(),
							round, (profile != null) ? profile : QueryBenchmark.Interval.NONE));
					if (profile != null) {
						System.out.println(profile.summary());
					}
				}
			}
			return results;
		}
	}

	/**
	 * A JFR recording of the HTTP paths at the largest client count in round 1, if asked for.
	 */
	private Profile profile(Case measured, int round, Function<String, String> threads) {
		if (this.settings.profileDirectory() == null || round != 1 || !(measured.path().query() instanceof HttpPointQuery)
				|| measured.clients() != this.settings.maxClients()) {
			return null;
		}
		String name = (measured.path().local() ? "http-local-" : "http-forwarded-") + measured.clients() + "-clients.jfr";
		return new Profile(this.settings.profileDirectory().resolve(name), threads);
	}

	/**
	 * Which keys the asked instance owns and which the other one does, from Kafka Streams'
	 * metadata.
	 */
	private static Keys keys(ConfigurableApplicationContext asked, String askedHost,
			ConfigurableApplicationContext other) {
		KafkaStreams streams = processor(asked).kafkaStreams().orElseThrow();
		HostInfo self = HostInfo.buildFromEndpoint(askedHost);
		List<String> local = new ArrayList<>();
		List<String> remote = new ArrayList<>();
		for (String key : keys(List.of(asked, other))) {
			KeyQueryMetadata metadata = streams.queryMetadataForKey(Workload.WORD_COUNT_STORE, key,
					Serdes.String().serializer());
			(self.equals(metadata.activeHost()) ? local : remote).add(key);
		}
		if (local.isEmpty() || remote.isEmpty()) {
			throw new IllegalStateException("Both instances must own some of the store's partitions; the first owns "
					+ local.size() + " words, the second " + remote.size());
		}
		return new Keys(local, remote);
	}

	private static int[] freePorts(int count) {
		int[] ports = new int[count];
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0);
				sockets.add(socket);
				ports[i] = socket.getLocalPort();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// closing a listening socket that accepted nothing
				}
			}
		}
		return ports;
	}

	/**
	 * The keys each instance owns.
	 */
	private record Keys(List<String> local, List<String> remote) {

		List<String> of(QueryPath path) {
			return path.local() ? this.local : this.remote;
		}

	}

	/**
	 * A query path, for keys the asked instance owns or for keys the other one owns.
	 */
	private record QueryPath(PointQuery query, boolean local, String expectedHost) {

		/**
		 * Makes sure the path measures what it says: the expected instance answers.
		 */
		void check(Keys keys) {
			List<String> candidates = keys.of(this);
			for (int i = 0; i < 3; i++) {
				String key = candidates.get(i * (candidates.size() / 3));
				String host = this.query.answeredBy(key);
				if (!this.expectedHost.equals(host)) {
					throw new IllegalStateException(this.query.description() + ": key '" + key + "' was answered by "
							+ host + ", expected " + this.expectedHost);
				}
			}
		}

	}

	private record Case(QueryPath path, int clients) {
	}

	private ConfigurableApplicationContext start(String applicationId, String inputTopic, String instance, int port) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", "benchmark");
		// A known port names Tomcat's threads (http-nio-PORT-exec-N), so their CPU is told apart.
		properties.put("server.port", String.valueOf(port));
		properties.put("spring.kafka.bootstrap-servers", this.bootstrapServers);
		properties.put("tributary.processors." + BenchmarkProcessor.NAME + ".application-id", applicationId);
		properties.put("tributary.streams[state.dir]", this.workDir.resolve("http-" + instance).toString());
		properties.put("tributary.streams[commit.interval.ms]", "100");
		// The second instance has no local state yet: without this it would only get
		// warm-up tasks until the next probing rebalance, and answer nothing itself.
		properties.put("tributary.streams[acceptable.recovery.lag]", String.valueOf(Long.MAX_VALUE));
		properties.put("tributary.query.advertised-host", "localhost");
		// Forwarded queries are signed with a secret every instance shares.
		properties.put("tributary.query.peer.secret", "benchmark-only-peer-secret-0123456789");
		properties.put("management.endpoints.web.exposure.include", "statestores");
		properties.put("benchmark.workload", Workload.WORD_COUNT.name());
		properties.put("benchmark.input", inputTopic);
		properties.put("benchmark.output", applicationId + "-output");
		if (this.settings.sampleSecurity()) {
			// As the sample configures it: reads open to anyone, an operator for writes.
			properties.put("benchmark.sample-security", "true");
			properties.put("spring.security.user.name", "operator");
			properties.put("spring.security.user.password", "operator");
			properties.put("spring.security.user.roles", "OPERATOR");
		}
		else {
			properties.put("spring.autoconfigure.exclude", String.join(",", SECURITY_AUTO_CONFIGURATIONS));
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
			.web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(properties)
			.run();
		boolean filterChain = context.containsBean("springSecurityFilterChain");
		if (filterChain != this.settings.sampleSecurity()) {
			context.close();
			throw new IllegalStateException("Instance " + instance + (filterChain ? " has" : " has no")
					+ " Spring Security filter chain, but --query-security="
					+ (this.settings.sampleSecurity() ? "sample" : "none"));
		}
		return context;
	}

	/**
	 * Waits until both instances run and their stores hold all the words: the total
	 * entry count stops growing.
	 */
	private static void awaitSettled(List<ConfigurableApplicationContext> contexts) {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
		long previous = -1;
		int stable = 0;
		while (System.nanoTime() < deadline) {
			long total = 0;
			boolean running = true;
			for (ConfigurableApplicationContext context : contexts) {
				KafkaStreams streams = processor(context).kafkaStreams().orElse(null);
				running &= streams != null && streams.state() == KafkaStreams.State.RUNNING;
				if (running) {
					total += keys(context).size();
				}
			}
			stable = (running && total > 0 && total == previous) ? stable + 1 : 0;
			if (stable >= 5) {
				return;
			}
			previous = total;
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
		}
		throw new IllegalStateException("The two query instances did not settle within 3 minutes");
	}

	private static List<String> keys(List<ConfigurableApplicationContext> contexts) {
		List<String> keys = new ArrayList<>();
		contexts.forEach((context) -> keys.addAll(keys(context)));
		return keys;
	}

	private static List<String> keys(ConfigurableApplicationContext context) {
		List<String> keys = new ArrayList<>();
		try (KeyValueIterator<String, Long> all = processor(context).kafkaStreams()
			.orElseThrow()
			.store(StoreQueryParameters.fromNameAndType(Workload.WORD_COUNT_STORE,
					QueryableStoreTypes.<String, Long>keyValueStore()))
			.all()) {
			all.forEachRemaining((entry) -> keys.add(entry.key));
		}
		catch (RuntimeException ex) {
			// not queryable yet
		}
		return keys;
	}

	private static ManagedProcessor processor(ConfigurableApplicationContext context) {
		return context.getBean(ProcessorRegistry.class).get(BenchmarkProcessor.NAME);
	}

	private static String port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getProperty("local.server.port");
	}

}
