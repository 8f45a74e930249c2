package dev.tributary.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Stream threads that die again and again, or are all gone, never leave a processor
 * looking healthy.
 */
class DeadStreamThreadsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path stateDir;

	@Test
	void aThreadReplacedTooOftenStopsTheProcessorAndBreaksLiveness() throws Exception {
		String suffix = SharedBroker.unique("crash-loop");
		SharedBroker.createTopics("poison-" + suffix);
		// The default policy replaces the thread, which dies again on the same record.
		try (ConfigurableApplicationContext context = start(suffix, "tributary.errors.processing=fail",
				"tributary.crash-loop.max-replacements=2", "tributary.crash-loop.window=10m")) {
			String base = base(context);
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			ManagedProcessor processor = registry.get("poisoned");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			assertThat(get(base + "/health/liveness").statusCode()).isEqualTo(200);

			SharedBroker.send("poison-" + suffix, List.of("poison"));
			// Replaced threads rethrow their exception: it is expected here.
			await().dontCatchUncaughtExceptions().atMost(TIMEOUT).until(() -> processor.state() == State.ERROR);

			assertThat(processor.isFailed()).isTrue();
			HttpResponse<String> liveness = get(base + "/health/liveness");
			assertThat(liveness.statusCode()).isEqualTo(503);
			String health = get(base + "/health").body();
			assertThat(JsonPath.<String>read(health, "$.components.streams.status")).isEqualTo("DOWN");
			assertThat(JsonPath.<String>read(health, "$.components.streams.details.poisoned.lastError"))
				.contains("poison pill");
			assertThat(JsonPath.<Integer>read(health, "$.components.streams.details.poisoned.threadReplacements"))
				.isEqualTo(2);
			assertThat(JsonPath.<String>read(health, "$.components.streams.details.poisoned.crashLoop"))
				.contains("tributary.crash-loop.max-replacements");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("tributary.processor.thread.replacements").tag("processor", "poisoned").counter()
				.count()).isEqualTo(2.0);
		}
	}

	@Test
	void aProcessorWhoseStreamThreadsAreAllGoneIsDownAndNotAlive() throws Exception {
		String suffix = SharedBroker.unique("no-threads");
		SharedBroker.createTopics("poison-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, "tributary.streams.num.stream.threads=2")) {
			String base = base(context);
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			ManagedProcessor processor = registry.get("poisoned");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			KafkaStreams streams = processor.kafkaStreams().orElseThrow();
			assertThat(streams.removeStreamThread(Duration.ofSeconds(30))).isPresent();
			assertThat(processor.isFailed()).isFalse();
			assertThat(get(base + "/health/liveness").statusCode()).isEqualTo(200);

			assertThat(streams.removeStreamThread(Duration.ofSeconds(30))).isPresent();
			await().atMost(TIMEOUT).until(() -> processor.aliveThreadCount() == 0);
			// Kafka Streams stays RUNNING with no thread left to process anything.
			assertThat(processor.state()).isEqualTo(State.RUNNING);
			assertThat(processor.isFailed()).isTrue();
			assertThat(get(base + "/health/liveness").statusCode()).isEqualTo(503);
			String health = get(base + "/health").body();
			assertThat(JsonPath.<String>read(health, "$.components.streams.status")).isEqualTo("DOWN");
		}
	}

	private ConfigurableApplicationContext start(String suffix, String... properties) {
		return new SpringApplicationBuilder(PoisonApplication.class)
			.properties("server.port=0", "spring.application.name=dead-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.close-timeout=10s", "management.endpoint.health.show-details=always",
					// A dead thread does not leave its group: its partitions wait for the
					// session timeout before its replacement gets them, so keep it short.
					"tributary.streams.session.timeout.ms=6000")
			.properties(properties)
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
	@Import(Poisoned.class)
	static class PoisonApplication {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@StreamProcessor("poisoned")
	static class Poisoned {

		private final String suffix;

		Poisoned(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("poison-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.foreach((key, value) -> {
					throw new IllegalStateException("poison pill");
				});
		}

	}

}
