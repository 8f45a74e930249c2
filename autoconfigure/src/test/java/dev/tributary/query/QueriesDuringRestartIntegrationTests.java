package dev.tributary.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A query that meets a processor being stopped, restarted or failed answers 503 with
 * {@code Retry-After} (ask again), never 500.
 */
class QueriesDuringRestartIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final int RESTARTS = 6;

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path stateDir;

	@Test
	void queriesRacingStopsAndRestartsAnswer503WithRetryAfterNever500() throws Exception {
		String suffix = SharedBroker.unique("iq-restart");
		SharedBroker.broker().createTopics(List.of("words-" + suffix), 2);
		SharedBroker.send("words-" + suffix, List.of("a", "b", "b", "c"));
		try (ConfigurableApplicationContext context = start(suffix)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			StateStoreQueryService queries = context.getBean(StateStoreQueryService.class);
			await().atMost(TIMEOUT)
				.ignoreExceptionsInstanceOf(QueryException.class)
				.untilAsserted(() -> assertThat(queries.get("words", "counts", "b").value(Long.class)).isEqualTo(2L));
			String base = base(context);
			List<String> paths = List.of("/statestores/words/counts?key=b", "/statestores/words/counts",
					"/statestores/words/counts?prefix=a", "/statestores");
			AtomicBoolean done = new AtomicBoolean();
			Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
			Queue<String> wrong = new ConcurrentLinkedQueue<>();
			ExecutorService clients = Executors.newFixedThreadPool(paths.size() + 1);
			List<Future<?>> running = new ArrayList<>();
			try {
				for (String path : paths) {
					running.add(clients.submit(() -> {
						while (!done.get()) {
							HttpResponse<String> response = get(base + path);
							statuses.computeIfAbsent(response.statusCode(), (status) -> new AtomicInteger())
								.incrementAndGet();
							boolean retryable = response.statusCode() == 503
									&& response.headers().firstValue("Retry-After").isPresent();
							if (response.statusCode() != 200 && !retryable) {
								wrong.add(path + " -> " + response.statusCode() + " " + response.body());
							}
						}
						return null;
					}));
				}
				// The Java API: only QueryException (503) may escape, never Kafka's own exceptions.
				running.add(clients.submit(() -> {
					while (!done.get()) {
						try {
							queries.get("words", "counts", "b");
						}
						catch (QueryException ex) {
							if (ex.getReason() != QueryException.Reason.UNAVAILABLE) {
								wrong.add("get -> " + ex.getReason() + " " + ex.getMessage());
							}
						}
						catch (RuntimeException ex) {
							wrong.add("get -> " + ex);
						}
					}
					return null;
				}));
				for (int i = 0; i < RESTARTS; i++) {
					if (i % 2 == 0) {
						registry.stop("words");
						registry.start("words");
					}
					else {
						registry.get("words").restart(false);
					}
					await().atMost(TIMEOUT).until(() -> registry.get("words").state() == State.RUNNING);
				}
			}
			finally {
				done.set(true);
				for (Future<?> client : running) {
					client.get(60, TimeUnit.SECONDS);
				}
				clients.shutdownNow();
			}
			assertThat(wrong).as("answers other than 200 or 503 with Retry-After; statuses " + statuses).isEmpty();
			assertThat(statuses).containsKey(503);
		}
	}

	@Test
	void aProcessorWhoseKafkaStreamsHasStoppedAnswers503AndStillDescribesItsStores() throws Exception {
		String suffix = SharedBroker.unique("iq-dead");
		SharedBroker.broker().createTopics(List.of("words-" + suffix), 2);
		SharedBroker.send("words-" + suffix, List.of("a"));
		try (ConfigurableApplicationContext context = start(suffix)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			StateStoreQueryService queries = context.getBean(StateStoreQueryService.class);
			await().atMost(TIMEOUT)
				.ignoreExceptionsInstanceOf(QueryException.class)
				.untilAsserted(() -> assertThat(queries.get("words", "counts", "a").value(Long.class)).isEqualTo(1L));
			// As after a crash: the instance is gone but the processor should still run.
			ManagedProcessor processor = registry.get("words");
			KafkaStreams streams = processor.kafkaStreams().orElseThrow();
			streams.close(Duration.ofSeconds(30));
			assertThat(processor.isStarted()).isTrue();
			String base = base(context);

			HttpResponse<String> key = get(base + "/statestores/words/counts?key=a");
			assertThat(key.statusCode()).as(key.body()).isEqualTo(503);
			assertThat(key.headers().firstValue("Retry-After")).isPresent();
			HttpResponse<String> described = get(base + "/statestores");
			assertThat(described.statusCode()).as(described.body()).isEqualTo(200);
			assertThat(JsonPath.<List<Object>>read(described.body(), "$.processors[0].stores[0].instances")).isEmpty();
		}
	}

	private ConfigurableApplicationContext start(String suffix) {
		return new SpringApplicationBuilder(QueryApplication.class)
			.properties("server.port=0", "spring.application.name=" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.statestore.cache.max.bytes=0", "tributary.close-timeout=10s",
					"tributary.query.advertised-host=localhost", "tributary.query.rebalance-timeout=200ms", "tributary.query.peer.secret=query-tests-shared-secret-0123",
					"management.endpoints.web.exposure.include=health,statestores")
			.run();
	}

	private static String base(ConfigurableApplicationContext context) {
		return "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Words.class)
	static class QueryApplication {

	}

	@StreamProcessor("words")
	static class Words {

		private final String suffix;

		Words(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("counts"));
		}

	}

}
