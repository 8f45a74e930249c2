package dev.tributary.query.peer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.util.FileSystemUtils;

import static org.awaitility.Awaitility.await;

/**
 * Two web instances of one application that counts words in a two-partition topic, one
 * active task each, so that every other key is held by the other instance and a query
 * for it is forwarded. One fixture per test class: started once, closed once.
 */
final class TwoInstances implements AutoCloseable {

	static final String SECRET = "peer-secret-for-tests-0123456789";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final Map<String, Long> expected = new TreeMap<>();

	private final List<Path> stateDirs = new ArrayList<>();

	private final String scheme;

	private final String basePath;

	private final HttpClient http;

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

	private TwoInstances(String scheme, String basePath, SSLContext trust) {
		this.scheme = scheme;
		this.basePath = basePath;
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
		if (trust != null) {
			builder.sslContext(trust);
		}
		this.http = builder.build();
	}

	/**
	 * Starts both instances over plain HTTP with Actuator under {@code /actuator}.
	 */
	static TwoInstances start(List<Class<?>> sources, String... properties) {
		return start("http", "/actuator", null, sources, properties);
	}

	/**
	 * Starts both instances.
	 * @param scheme how the tests reach the instances
	 * @param basePath where Actuator's endpoints are, within the management server
	 * @param trust the tests' TLS trust for {@code https}
	 * @param sources configuration classes besides the application's
	 * @param properties properties of both instances
	 */
	static TwoInstances start(String scheme, String basePath, SSLContext trust, List<Class<?>> sources,
			String... properties) {
		TwoInstances instances = new TwoInstances(scheme, basePath, trust);
		try {
			instances.startBoth(sources, properties);
			return instances;
		}
		catch (RuntimeException | Error ex) {
			instances.close();
			throw ex;
		}
	}

	private void startBoth(List<Class<?>> sources, String... properties) {
		String suffix = SharedBroker.unique("peer");
		String topic = "peer-words-" + suffix;
		SharedBroker.broker().createTopics(List.of(topic), 2);
		List<String> words = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			String word = "word" + i;
			long count = i % 3 + 1;
			this.expected.put(word, count);
			for (int n = 0; n < count; n++) {
				words.add(word);
			}
		}
		SharedBroker.send(topic, words);
		this.first = startInstance(suffix, sources, properties);
		this.second = startInstance(suffix, sources, properties);
		await().atMost(TIMEOUT).until(() -> hasActiveTasks(this.first) && hasActiveTasks(this.second));
	}

	private ConfigurableApplicationContext startInstance(String suffix, List<Class<?>> sources, String... properties) {
		Path stateDir;
		try {
			stateDir = Files.createTempDirectory("tributary-peer-");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.stateDirs.add(stateDir);
		List<Class<?>> all = new ArrayList<>(sources);
		all.add(0, PeerApplication.class);
		return new SpringApplicationBuilder(all.toArray(Class<?>[]::new))
			.properties("server.port=0", "spring.application.name=peer-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.statestore.cache.max.bytes=0", "tributary.streams.session.timeout.ms=6000",
					"tributary.close-timeout=10s", "tributary.query.advertised-host=localhost",
					"tributary.query.rebalance-timeout=2s",
					"management.endpoints.web.exposure.include=health,statestores")
			.properties(properties)
			.run();
	}

	private static boolean hasActiveTasks(ConfigurableApplicationContext context) {
		KafkaStreams streams = context.getBean(ProcessorRegistry.class).get("words").kafkaStreams().orElse(null);
		return streams != null && streams.state() == KafkaStreams.State.RUNNING && streams.metadataForLocalThreads()
			.stream()
			.anyMatch((thread) -> !thread.activeTasks().isEmpty());
	}

	ConfigurableApplicationContext first() {
		return this.first;
	}

	ConfigurableApplicationContext second() {
		return this.second;
	}

	Map<String, Long> expected() {
		return this.expected;
	}

	/**
	 * The port Actuator is served on.
	 */
	static int managementPort(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
	}

	/**
	 * {@code GET} an Actuator path such as {@code /statestores/words/counts?key=a}.
	 */
	HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		return get(context, path, (request) -> {
		});
	}

	HttpResponse<String> get(ConfigurableApplicationContext context, String path,
			Consumer<HttpRequest.Builder> customizer) throws Exception {
		String base = this.basePath.equals("/") ? "" : this.basePath;
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.scheme + "://localhost:" + managementPort(context) + base + path));
		customizer.accept(request);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	URI uri(ConfigurableApplicationContext context, String path) {
		return URI.create(this.scheme + "://localhost:" + managementPort(context) + path);
	}

	@Override
	public void close() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.second,
				this.first }) {
			if (context != null) {
				context.close();
			}
		}
		for (Path stateDir : this.stateDirs) {
			try {
				FileSystemUtils.deleteRecursively(stateDir);
			}
			catch (java.io.IOException ex) {
				// a temporary directory: left behind
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Words.class)
	static class PeerApplication {

	}

	@StreamProcessor("words")
	static class Words {

		private final String suffix;

		Words(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("peer-words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("counts"));
		}

	}

}
