package dev.tributary.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.async.AsyncStep;
import dev.tributary.async.AsyncSteps;
import dev.tributary.dashboard.DeadLetterBrowser;
import dev.tributary.dashboard.GroupLag;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The parts of the {@code streams} endpoint that ask the cluster (the group's lag, the
 * dead letters) and the cluster view, against a real broker. One application for the
 * class: the tests use topics and records of their own.
 */
class StreamsEndpointPartsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final HttpClient http = HttpClient.newHttpClient();

	private static ConfigurableApplicationContext context;

	private static String suffix;

	private static String base;

	private static Path stateDir;

	@BeforeAll
	static void start() throws Exception {
		suffix = SharedBroker.unique("parts");
		stateDir = Files.createTempDirectory("parts");
		SharedBroker.createTopics("in-" + suffix, "paused-in-" + suffix);
		context = new SpringApplicationBuilder(PartsApplication.class)
			.properties("server.port=0", "spring.application.name=parts-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.session.timeout.ms=6000", "tributary.close-timeout=10s",
					"tributary.processors.orders.async.check.retries=0",
					"management.endpoints.web.exposure.include=streams",
					"management.endpoint.streams.show-values=always")
			.run();
		base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator/streams";
		ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
		await().atMost(TIMEOUT).until(() -> registry.processors().stream().allMatch((p) -> p.state() == State.RUNNING));
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void lagCoversEveryInputPartitionOfTheWholeGroupWithItsHistory() throws Exception {
		SharedBroker.send("in-" + suffix, List.of("a", "b", "c", "a"));
		String repartition = "parts-" + suffix + "-orders-totals-repartition";
		await().atMost(TIMEOUT).untilAsserted(() -> {
			String body = get("/orders/lag");
			assertThat(JsonPath.<String>read(body, "$.group")).isEqualTo("parts-" + suffix + "-orders");
			// Both partitions of the input topic and of the repartition topic (by the name
			// the records carry).
			assertThat(JsonPath.<List<Integer>>read(body, "$.partitions[?(@.topic == 'in-" + suffix + "')].partition"))
				.containsExactly(0, 1);
			assertThat(JsonPath.<List<Integer>>read(body, "$.partitions[?(@.topic == '" + repartition + "')].partition"))
				.containsExactly(0, 1);
			List<Map<String, Object>> input = JsonPath.read(body, "$.partitions[?(@.topic == 'in-" + suffix + "')]");
			// Other tests write to the topic too.
			assertThat(input.stream().mapToLong((entry) -> ((Number) entry.get("endOffset")).longValue()).sum())
				.isGreaterThanOrEqualTo(4);
			assertThat(input).allSatisfy((entry) -> {
				assertThat(entry.get("lag")).isEqualTo(0);
				assertThat(entry.get("committedOffset")).isEqualTo(entry.get("endOffset"));
				assertThat(entry.get("owner")).isNotNull();
			});
			assertThat(JsonPath.<List<Object>>read(body, "$.history")).hasSizeGreaterThan(1);
		});
	}

	@Test
	void lagCountsRecordsThatWaitForAPausedProcessor() throws Exception {
		ManagedProcessor processor = context.getBean(ProcessorRegistry.class).get("paused");
		processor.pause();
		try {
			SharedBroker.send("paused-in-" + suffix, List.of("x", "y", "z"));
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(JsonPath.<Integer>read(get("/paused/lag"), "$.totalLag")).isEqualTo(3));
		}
		finally {
			processor.resume();
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(JsonPath.<Integer>read(get("/paused/lag"), "$.totalLag")).isZero());
	}

	@Test
	void clusterListsThisInstanceWithItsPartitionsAndStores() throws Exception {
		String body = get("/orders/cluster");
		assertThat(JsonPath.<Boolean>read(body, "$.advertised")).isTrue();
		assertThat(JsonPath.<List<Object>>read(body, "$.instances")).hasSize(1);
		assertThat(JsonPath.<Boolean>read(body, "$.instances[0].local")).isTrue();
		assertThat(JsonPath.<List<String>>read(body, "$.instances[0].activePartitions")).contains("in-" + suffix + "-0",
				"in-" + suffix + "-1");
		assertThat(JsonPath.<List<String>>read(body, "$.instances[0].stores")).containsExactly("totals");
	}

	@Test
	void deadLettersShowTheLatestWithTheirHeadersKindAndCounts() throws Exception {
		SharedBroker.send("in-" + suffix, List.of("poison-1", "bad-async-1"));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			String body = get("/orders/dead-letters");
			List<Map<String, Object>> latest = JsonPath.read(body, "$.latest[?(@.key.text == 'poison-1')]");
			assertThat(latest).hasSize(1);
			assertThat(JsonPath.<String>read(latest, "$[0].kind")).isEqualTo("processing");
			assertThat(JsonPath.<String>read(latest, "$[0].value.text")).isEqualTo("poison-1");
			assertThat(JsonPath.<String>read(latest, "$[0].headers['__streams.errors.exception'].text"))
				.isEqualTo(IllegalArgumentException.class.getName());
			assertThat(JsonPath.<String>read(latest, "$[0].headers['__streams.errors.topic'].text"))
				.isEqualTo("in-" + suffix);
			List<Map<String, Object>> async = JsonPath.read(body, "$.latest[?(@.key.text == 'bad-async-1')]");
			assertThat(async).hasSize(1);
			assertThat(JsonPath.<String>read(async, "$[0].headers['__tributary.async.step'].text")).isEqualTo("check");
			assertThat(JsonPath.<Integer>read(body, "$.handledHere.processing['dead-letter']")).isGreaterThanOrEqualTo(1);
			assertThat(JsonPath.<List<String>>read(body, "$.topics[*].topic"))
				.containsExactly("parts-" + suffix + "-orders-dlq");
			assertThat(JsonPath.<Integer>read(body, "$.topics[0].records")).isGreaterThanOrEqualTo(2);
		});
	}

	@Test
	void deadLettersAreBoundedInCountAndBytes() throws Exception {
		String large = "poison-large-" + "x".repeat(10_000);
		SharedBroker.send("in-" + suffix, List.of("poison-2", "poison-3", "poison-4", "poison-5", large));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			String body = get("/orders/dead-letters");
			List<Map<String, Object>> latest = JsonPath.read(body, "$.latest");
			assertThat(latest).hasSize(MAX_DEAD_LETTERS);
			List<Map<String, Object>> shown = JsonPath.read(body, "$.latest[?(@.value.size == " + large.length() + ")]");
			assertThat(shown).hasSize(1);
			assertThat(JsonPath.<Boolean>read(shown, "$[0].value.truncated")).isTrue();
			assertThat(JsonPath.<String>read(shown, "$[0].value.text")).hasSize(DeadLetterBrowser.MAX_SHOWN_BYTES);
		});
	}

	@Test
	void anUnknownPartIsA404NamingTheParts() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/orders/lags")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(JsonPath.<List<String>>read(response.body(), "$.parts")).containsExactly("cluster", "lag",
				"dead-letters");
	}

	@Test
	void theTopologyMarksTheAsyncStepsNodes() throws Exception {
		String body = get("/orders");
		assertThat(JsonPath.<List<String>>read(body, "$.topology.subtopologies[*].sinks[?(@.asyncStep == 'check')].name"))
			.containsExactly("tributary-async-check-requests");
		assertThat(JsonPath.<List<String>>read(body,
				"$.topology.subtopologies[*].sources[?(@.asyncStep == 'check')].name"))
			.containsExactly("tributary-async-check-results");
		assertThat(JsonPath.<Boolean>read(body, "$.failed")).isFalse();
		assertThat(JsonPath.<Integer>read(body, "$.uptimeSeconds")).isNotNegative();
	}

	private static String get(String path) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private static final int MAX_DEAD_LETTERS = 5;

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Orders.class, Paused.class })
	static class PartsApplication {

		/** Samples as often as the tests ask, so that a history builds up quickly. */
		@Bean
		GroupLag groupLag() {
			return new GroupLag(Duration.ofMillis(100), 10);
		}

		@Bean
		DeadLetterBrowser deadLetterBrowser(dev.tributary.errors.DeadLetterTopicCreator topics,
				dev.tributary.async.AsyncStepWorkers steps, dev.tributary.errors.ErrorReporter reporter) {
			return new DeadLetterBrowser((processor) -> {
				java.util.Set<String> all = new java.util.TreeSet<>(topics.topics(processor));
				all.addAll(steps.deadLetterTopics(processor));
				return all;
			}, reporter::handledCounts, MAX_DEAD_LETTERS, Duration.ZERO);
		}

	}

	/**
	 * A processing step that fails on "poison-*", an async step that fails on
	 * "bad-async-*", then a count by value (a repartition).
	 */
	@StreamProcessor("orders")
	static class Orders {

		private final String suffix;

		Orders(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder, AsyncSteps async) {
			KStream<String, String> checked = builder
				.stream("in-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.mapValues((value) -> {
					if (value.startsWith("poison")) {
						throw new IllegalArgumentException("poison record");
					}
					return value;
				});
			async.mapValues(checked, AsyncStep.<String, String, String>blocking("check", (key, value) -> {
				if (value.startsWith("bad-async")) {
					throw new IllegalStateException("the service refused it");
				}
				return value;
			}).withSerdes(Serdes.String(), Serdes.String(), Serdes.String()))
				.groupBy((key, value) -> value, Grouped.with("totals", Serdes.String(), Serdes.String()))
				.count(Materialized.as("totals"))
				.toStream()
				.to("out-" + this.suffix, Produced.with(Serdes.String(), Serdes.Long()));
		}

	}

	@StreamProcessor("paused")
	static class Paused {

		private final String suffix;

		Paused(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("paused-in-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.to("paused-out-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

}
