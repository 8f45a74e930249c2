package dev.tributary.benchmarks.throughput;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.tributary.benchmarks.queries.PointQuery;
import dev.tributary.benchmarks.queries.QueryBenchmark;
import dev.tributary.benchmarks.queries.QueryResult;
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
 * Point lookups through {@code GET /actuator/statestores/...}: two instances of the
 * word-count processor share the store's partitions; keys the asked instance owns are
 * answered locally, the others are forwarded to the other instance.
 */
public final class HttpQueryStage {

	private final String bootstrapServers;

	private final Path workDir;

	private final Duration warmUp;

	private final Duration measurement;

	/**
	 * Creates the stage.
	 * @param bootstrapServers the broker
	 * @param workDir where the instances keep their state
	 * @param warmUp how long each path is queried before it is measured
	 * @param measurement how long each path is measured
	 */
	public HttpQueryStage(String bootstrapServers, Path workDir, Duration warmUp, Duration measurement) {
		this.bootstrapServers = bootstrapServers;
		this.workDir = workDir;
		this.warmUp = warmUp;
		this.measurement = measurement;
	}

	/**
	 * Measures the local and the forwarded path.
	 * @param inputTopic the word-count input, already loaded
	 * @return the two results
	 */
	public List<QueryResult> measure(String inputTopic) {
		String applicationId = "bench-http-queries-" + System.nanoTime();
		try (ConfigurableApplicationContext first = start(applicationId, inputTopic, "a");
				ConfigurableApplicationContext second = start(applicationId, inputTopic, "b")) {
			awaitSettled(List.of(first, second));
			KafkaStreams streams = processor(first).kafkaStreams().orElseThrow();
			HostInfo self = HostInfo.buildFromEndpoint("localhost:" + port(first));
			List<String> local = new ArrayList<>();
			List<String> remote = new ArrayList<>();
			for (String key : keys(List.of(first, second))) {
				KeyQueryMetadata metadata = streams.queryMetadataForKey(Workload.WORD_COUNT_STORE, key,
						Serdes.String().serializer());
				(self.equals(metadata.activeHost()) ? local : remote).add(key);
			}
			if (local.isEmpty() || remote.isEmpty()) {
				throw new IllegalStateException("Both instances must own some of the store's partitions; the first owns "
						+ local.size() + " words, the second " + remote.size());
			}
			String base = "http://localhost:" + port(first) + "/actuator/statestores/" + BenchmarkProcessor.NAME + "/"
					+ Workload.WORD_COUNT_STORE + "?key=";
			HttpClient client = HttpClient.newHttpClient();
			List<QueryResult> results = new ArrayList<>();
			results.add(new QueryBenchmark(local, this.warmUp, this.measurement)
				.measure(new HttpPointQuery("HTTP `GET /actuator/statestores/...`, local owner", client, base)));
			results.add(new QueryBenchmark(remote, this.warmUp, this.measurement).measure(new HttpPointQuery(
					"HTTP `GET /actuator/statestores/...`, forwarded to the owner", client, base)));
			return results;
		}
	}

	private ConfigurableApplicationContext start(String applicationId, String inputTopic, String instance) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", "benchmark");
		properties.put("server.port", "0");
		properties.put("spring.kafka.bootstrap-servers", this.bootstrapServers);
		properties.put("tributary.processors." + BenchmarkProcessor.NAME + ".application-id", applicationId);
		properties.put("tributary.streams[state.dir]", this.workDir.resolve("http-" + instance).toString());
		properties.put("tributary.streams[commit.interval.ms]", "100");
		// The second instance has no local state yet: without this it would only get
		// warm-up tasks until the next probing rebalance, and answer nothing itself.
		properties.put("tributary.streams[acceptable.recovery.lag]", String.valueOf(Long.MAX_VALUE));
		properties.put("tributary.query.advertised-host", "localhost");
		properties.put("management.endpoints.web.exposure.include", "statestores");
		properties.put("benchmark.workload", Workload.WORD_COUNT.name());
		properties.put("benchmark.input", inputTopic);
		properties.put("benchmark.output", applicationId + "-output");
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(properties)
			.run();
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

	private record HttpPointQuery(String description, HttpClient client, String base) implements PointQuery {

		@Override
		public Object get(String key) {
			try {
				HttpResponse<String> response = this.client.send(
						HttpRequest.newBuilder(URI.create(this.base + URLEncoder.encode(key, StandardCharsets.UTF_8)))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() != 200) {
					throw new IllegalStateException("GET " + key + " answered " + response.statusCode() + ": "
							+ response.body());
				}
				return response.body();
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
