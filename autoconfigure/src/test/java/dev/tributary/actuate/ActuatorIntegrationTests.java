package dev.tributary.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * The {@code streams} endpoint, health, probes and metrics of a running web
 * application against a real broker.
 */
class ActuatorIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path stateDir;

	private ConfigurableApplicationContext context;

	private String suffix;

	private String base;

	@BeforeEach
	void start() {
		this.suffix = SharedBroker.unique("actuator");
		SharedBroker.createTopics("words-" + this.suffix, "echo-in-" + this.suffix);
		this.context = new SpringApplicationBuilder(WebApplication.class)
			.properties("server.port=0", "spring.application.name=act-" + this.suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + this.suffix,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.session.timeout.ms=6000", "tributary.close-timeout=10s",
					"tributary.metrics.refresh-interval=1s",
					"management.endpoints.web.exposure.include=health,streams",
					"tributary.processors.echo.errors.processing=log-and-continue",
					"tributary.processors.echo.properties.max.poll.records=50",
					"tributary.processors.echo.properties.basic.auth.user.info=shop:endpoint-secret-1",
					"tributary.streams.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
							+ "required username=\"shop\" password=\"endpoint-secret-2\";",
					"management.endpoint.health.show-details=always")
			.run();
		this.base = "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port") + "/actuator";
		ProcessorRegistry registry = this.context.getBean(ProcessorRegistry.class);
		await().atMost(TIMEOUT).until(() -> registry.processors().stream().allMatch((p) -> p.state() == State.RUNNING));
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void stopsProcessorsAfterTheWebServerDrainedAndBeforeItStops() {
		Map<String, org.springframework.context.SmartLifecycle> lifecycles = this.context
			.getBeansOfType(org.springframework.context.SmartLifecycle.class);
		int registry = this.context.getBean(ProcessorRegistry.class).getPhase();
		// Higher phases stop first: graceful shutdown drains, then processors close, then
		// the web server stops.
		assertThat(lifecycles.get("webServerGracefulShutdown").getPhase()).isGreaterThan(registry);
		assertThat(lifecycles.get("webServerStartStop").getPhase()).isLessThan(registry);
	}

	@Test
	void listsEveryProcessor() throws Exception {
		HttpResponse<String> response = get("/streams");
		assertThat(response.statusCode()).isEqualTo(200);
		String body = response.body();
		assertThat(JsonPath.<List<String>>read(body, "$.processors[*].name")).containsExactly("counter", "echo");
		assertThat(JsonPath.<String>read(body, "$.processors[0].applicationId"))
			.isEqualTo("act-" + this.suffix + "-counter");
		assertThat(JsonPath.<String>read(body, "$.processors[0].state")).isEqualTo("RUNNING");
		assertThat(JsonPath.<Integer>read(body, "$.processors[0].threads")).isEqualTo(1);
		assertThat(JsonPath.<Boolean>read(body, "$.processors[0].paused")).isFalse();
		assertThat(JsonPath.<List<String>>read(body, "$.processors[0].stores")).containsExactly("counts");
	}

	@Test
	void describesOneProcessorWithTopologyPartitionsAndLag() throws Exception {
		SharedBroker.send("words-" + this.suffix, List.of("a", "b", "a"));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			String body = get("/streams/counter").body();
			List<Map<String, Object>> lag = JsonPath.read(body, "$.lag[?(@.topic == 'words-" + this.suffix + "')]");
			assertThat(lag).hasSize(2);
			List<Map<String, Object>> withRecords = lag.stream().filter((entry) -> entry.get("endOffset") != null).toList();
			assertThat(withRecords).isNotEmpty().allSatisfy((entry) -> {
				assertThat(entry.get("lag")).isEqualTo(0);
				assertThat(entry.get("committedOffset")).isEqualTo(entry.get("endOffset"));
			});
			assertThat(withRecords.stream().mapToInt((entry) -> (Integer) entry.get("endOffset")).sum()).isEqualTo(3);
		});
		String body = get("/streams/counter").body();
		assertThat(JsonPath.<List<String>>read(body, "$.partitions.active")).contains("words-" + this.suffix + "-0",
				"words-" + this.suffix + "-1");
		assertThat(JsonPath.<List<String>>read(body, "$.partitions.standby")).isEmpty();
		assertThat(JsonPath.<List<String>>read(body, "$.topology.subtopologies[0].sources[0].topics"))
			.containsExactly("words-" + this.suffix);
		assertThat(JsonPath.<List<List<String>>>read(body, "$.topology.subtopologies[*].processors[*].stores"))
			.contains(List.of("counts"));
		assertThat(JsonPath.<List<String>>read(body, "$.topology.subtopologies[*].sinks[*].topic"))
			.contains("counted-" + this.suffix);
		assertThat(JsonPath.<String>read(body, "$.topology.description")).contains("Sub-topology: 0");
		assertThat(JsonPath.<List<String>>read(body, "$.threadDetails[0].activeTasks")).isNotEmpty();
	}

	@Test
	void showsTheEffectiveSettingsWithKafkaDefaultsAndNoSecrets() throws Exception {
		String body = get("/streams/echo").body();
		Map<String, Object> settings = JsonPath.read(body, "$.settings");
		assertThat(settings).containsEntry("processing.guarantee", "at_least_once")
			.containsEntry("commit.interval.ms", 100)
			.containsEntry("num.stream.threads", 1)
			.containsEntry("num.standby.replicas", 0)
			.containsEntry("replication.factor", -1)
			.containsEntry("state.dir", this.stateDir.toString())
			.containsEntry("statestore.cache.max.bytes", 10485760)
			.containsEntry("session.timeout.ms", 6000)
			.containsEntry("max.poll.interval.ms", 300000)
			.containsEntry("max.poll.records", 50)
			.containsEntry("close-timeout", "10s")
			.containsEntry("uncaught-exception-policy", "replace-thread")
			.doesNotContainKey("group.instance.id");
		assertThat((String) settings.get("application.server"))
			.endsWith(":" + this.context.getEnvironment().getProperty("local.server.port"));
		assertThat(JsonPath.<Map<String, Object>>read(body, "$.settings.errors"))
			.containsEntry("deserialization", "dead-letter")
			.containsEntry("processing", "log-and-continue")
			.containsEntry("production", "dead-letter")
			.containsEntry("dead-letter-topic", "act-" + this.suffix + "-echo-dlq");
		assertThat(body).doesNotContain("endpoint-secret");
	}

	@Test
	void answersUnknownProcessorsWith404NamingTheValidOnes() throws Exception {
		HttpResponse<String> read = get("/streams/nope");
		assertThat(read.statusCode()).isEqualTo(404);
		assertThat(JsonPath.<String>read(read.body(), "$.error")).isEqualTo("No processor named 'nope'");
		assertThat(JsonPath.<List<String>>read(read.body(), "$.processors")).containsExactly("counter", "echo");
		HttpResponse<String> write = post("/streams/nope", "{\"action\":\"stop\"}");
		assertThat(write.statusCode()).isEqualTo(404);
		assertThat(JsonPath.<List<String>>read(write.body(), "$.processors")).containsExactly("counter", "echo");
	}

	@Test
	void answersUnknownActionsWith400NamingTheValidOnes() throws Exception {
		HttpResponse<String> response = post("/streams/echo", "{\"action\":\"explode\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(JsonPath.<String>read(response.body(), "$.error")).isEqualTo("Unknown action 'explode'");
		assertThat(JsonPath.<List<String>>read(response.body(), "$.actions")).containsExactly("start", "stop",
				"pause", "resume", "restart");
		HttpResponse<String> cleanUp = post("/streams/echo", "{\"action\":\"stop\",\"cleanUp\":true}");
		assertThat(cleanUp.statusCode()).isEqualTo(400);
		assertThat(post("/streams/echo", "{}").statusCode()).isEqualTo(400);
	}

	@Test
	void stopAndStartChangeStateWithoutMakingTheApplicationUnready() throws Exception {
		HttpResponse<String> stopped = post("/streams/echo", "{\"action\":\"stop\"}");
		assertThat(stopped.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(stopped.body(), "$.state")).isEqualTo("NOT_RUNNING");
		assertThat(JsonPath.<Boolean>read(stopped.body(), "$.started")).isFalse();
		assertThat(get("/health/readiness").statusCode()).isEqualTo(200);
		assertThat(get("/health/liveness").statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(get("/health").body(), "$.components.streams.status")).isEqualTo("UP");

		HttpResponse<String> started = post("/streams/echo", "{\"action\":\"start\"}");
		assertThat(started.statusCode()).isEqualTo(200);
		await().atMost(TIMEOUT).until(() -> JsonPath.<String>read(get("/streams/echo").body(), "$.state").equals("RUNNING"));
		SharedBroker.send("echo-in-" + this.suffix, List.of("back"));
		assertThat(SharedBroker.read("echo-out-" + this.suffix, new org.apache.kafka.common.serialization.StringDeserializer(),
				1, TIMEOUT)).extracting((record) -> record.value()).containsExactly("back");
	}

	@Test
	void pauseAndResumeToggleProcessing() throws Exception {
		HttpResponse<String> paused = post("/streams/echo", "{\"action\":\"pause\"}");
		assertThat(JsonPath.<Boolean>read(paused.body(), "$.paused")).isTrue();
		assertThat(JsonPath.<Boolean>read(get("/health").body(), "$.components.streams.details.echo.paused")).isTrue();
		SharedBroker.send("echo-in-" + this.suffix, List.of("held"));
		assertThat(SharedBroker.read("echo-out-" + this.suffix,
				new org.apache.kafka.common.serialization.StringDeserializer(), 1, Duration.ofSeconds(2))).isEmpty();
		HttpResponse<String> resumed = post("/streams/echo", "{\"action\":\"resume\"}");
		assertThat(JsonPath.<Boolean>read(resumed.body(), "$.paused")).isFalse();
		assertThat(SharedBroker.read("echo-out-" + this.suffix,
				new org.apache.kafka.common.serialization.StringDeserializer(), 1, TIMEOUT))
			.extracting((record) -> record.value())
			.containsExactly("held");
		post("/streams/echo", "{\"action\":\"stop\"}");
		HttpResponse<String> pauseStopped = post("/streams/echo", "{\"action\":\"pause\"}");
		assertThat(pauseStopped.statusCode()).isEqualTo(409);
		assertThat(JsonPath.<String>read(pauseStopped.body(), "$.error")).contains("it is not started");
	}

	@Test
	void restartWithCleanUpRestoresTheStoreFromItsChangelog() throws Exception {
		SharedBroker.send("words-" + this.suffix, List.of("x", "x", "y"));
		ProcessorRegistry registry = this.context.getBean(ProcessorRegistry.class);
		await().atMost(TIMEOUT).until(() -> counts(registry).get("x") != null && counts(registry).get("x") == 2L);
		HttpResponse<String> restarted = post("/streams/counter", "{\"action\":\"restart\",\"cleanUp\":true}");
		assertThat(restarted.statusCode()).isEqualTo(200);
		await().atMost(TIMEOUT).until(() -> registry.get("counter").state() == State.RUNNING);
		await().atMost(TIMEOUT).until(() -> counts(registry).get("x") != null);
		assertThat(counts(registry).get("x")).isEqualTo(2L);
		assertThat(registry.get("counter").restorations()).anySatisfy((restoration) -> {
			assertThat(restoration.store()).isEqualTo("counts");
			assertThat(restoration.restoredRecords()).isEqualTo(restoration.totalRecords()).isPositive();
		});
	}

	@Test
	void publishesProcessorMetricsWithTags() {
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		assertThat(meters.get("tributary.processor.state")
			.tags("processor", "counter", "application.id", "act-" + this.suffix + "-counter", "state", "RUNNING")
			.gauge()
			.value()).isEqualTo(1.0);
		assertThat(meters.get("tributary.processor.state.transitions")
			.tags("processor", "counter", "from", "REBALANCING", "to", "RUNNING")
			.counter()
			.count()).isGreaterThanOrEqualTo(1.0);
		assertThat(meters.get("tributary.processor.restore.remaining").tags("processor", "counter", "store", "counts")
			.gauge()
			.value()).isZero();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(meters.getMeters())
				.anySatisfy((meter) -> {
					assertThat(meter.getId().getName()).startsWith("kafka.stream");
					assertThat(meter.getId().getTag("processor")).isEqualTo("counter");
					assertThat(meter.getId().getTag("application.id")).isEqualTo("act-" + this.suffix + "-counter");
				}));
	}

	@Test
	void taskMetricsThatAppearOnceTheProcessorRunsAreInMicrometerAtTheNextRefresh() {
		// Tasks exist only after the first rebalance, after the binder first matched the
		// metrics: Micrometer's own refresh (a minute) left them out until then.
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(meters.find("kafka.stream.task.process.total")
				.tag("processor", "counter")
				.meters()).isNotEmpty());
		ProcessorRegistry registry = this.context.getBean(ProcessorRegistry.class);
		registry.stop("counter");
		registry.start("counter");
		await().atMost(TIMEOUT).until(() -> registry.get("counter").state() == State.RUNNING);
		assertThat(Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("tributary-metrics-counter")))
			.as("refresh threads of the counter processor after a restart").hasSize(1);
	}

	private static org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Long> counts(
			ProcessorRegistry registry) {
		return registry.get("counter")
			.kafkaStreams()
			.orElseThrow()
			.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType("counts",
					org.apache.kafka.streams.state.QueryableStoreTypes.keyValueStore()));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Counter.class, Echo.class })
	static class WebApplication {

	}

	@StreamProcessor("counter")
	static class Counter {

		private final String suffix;

		Counter(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("counts"))
				.toStream()
				.to("counted-" + this.suffix, Produced.with(Serdes.String(), Serdes.Long()));
		}

	}

	@StreamProcessor("echo")
	static class Echo {

		private final String suffix;

		Echo(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("echo-in-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.to("echo-out-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

}
