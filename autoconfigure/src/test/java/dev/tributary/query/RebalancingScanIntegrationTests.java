package dev.tributary.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 * While a rebalance holds the stream thread (here: a new task's processor initializing),
 * the store's active partitions answer NOT_ACTIVE like standbys do; a scan must then fail
 * with 503, to be retried, rather than answer a page without them.
 */
class RebalancingScanIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final HttpClient http = HttpClient.newHttpClient();

	static volatile boolean gateArmed;

	static final CountDownLatch entered = new CountDownLatch(1);

	static final CountDownLatch released = new CountDownLatch(1);

	@TempDir
	Path state;

	@Test
	void aScanWhileTheThreadIsNotRunningIsRetriedNotAnsweredIncomplete() throws Exception {
		String suffix = SharedBroker.unique("gate");
		SharedBroker.broker().createTopics(List.of("gate-words-" + suffix), 2);
		List<String> words = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			words.add(String.format("w%02d", i));
		}
		SharedBroker.send("gate-words-" + suffix, words);
		try (ConfigurableApplicationContext context = start(suffix)) {
			await().atMost(TIMEOUT).untilAsserted(() -> {
				HttpResponse<String> page = get(context, "/statestores/gated/counts?limit=50");
				assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
				assertThat(JsonPath.<List<String>>read(page.body(), "$.entries[*].key")).containsExactlyElementsOf(words);
			});
			gateArmed = true;
			try {
				// A topic for the pattern source: a rebalance and a new task, whose
				// processor holds the thread in PARTITIONS_ASSIGNED while it initializes.
				SharedBroker.broker().createTopics(List.of("gate-extra-" + suffix), 1);
				assertThat(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
				// (Thread metadata lags thread state; the client's state does not.)
				assertThat(streams(context).state()).isEqualTo(KafkaStreams.State.REBALANCING);
				assertThat(context.getBean(ProcessorRegistry.class).get("gated").isRestoring()).isFalse();
				HttpResponse<String> page = get(context, "/statestores/gated/counts?limit=50");
				assertThat(page.statusCode()).as(page.body()).isEqualTo(503);
			}
			finally {
				released.countDown();
			}
			await().atMost(TIMEOUT).untilAsserted(() -> {
				HttpResponse<String> page = get(context, "/statestores/gated/counts?limit=50");
				assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
				assertThat(JsonPath.<List<String>>read(page.body(), "$.entries[*].key")).containsExactlyElementsOf(words);
			});
		}
	}

	private static KafkaStreams streams(ConfigurableApplicationContext context) {
		return context.getBean(ProcessorRegistry.class).get("gated").kafkaStreams().orElseThrow();
	}

	private ConfigurableApplicationContext start(String suffix) {
		return new SpringApplicationBuilder(GateApplication.class)
			.properties("server.port=0", "spring.application.name=gate-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + this.state, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.num.stream.threads=1", "tributary.streams.metadata.max.age.ms=500",
					// Initialize tasks on the stream thread before it is RUNNING again, as
					// without the state updater (with it, init may run once RUNNING).
					"tributary.streams.[__state.updater.enabled__]=false",
					"tributary.streams.statestore.cache.max.bytes=0", "tributary.close-timeout=10s",
					"tributary.query.advertised-host=localhost", "tributary.query.rebalance-timeout=1s", "tributary.query.peer.secret=query-tests-shared-secret-0123",
					"management.endpoints.web.exposure.include=health,statestores")
			.run();
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		URI uri = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port")
				+ "/actuator" + path);
		return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Gated.class)
	static class GateApplication {

	}

	@StreamProcessor("gated")
	static class Gated {

		private final String suffix;

		Gated(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("gate-words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("counts"));
			builder.stream(Pattern.compile(Pattern.quote("gate-extra-" + this.suffix)),
					Consumed.with(Serdes.String(), Serdes.String()))
				.process(Gate::new);
		}

	}

	/**
	 * Waits in {@code init} until released, once armed.
	 */
	static class Gate implements Processor<String, String, Void, Void> {

		@Override
		public void init(ProcessorContext<Void, Void> context) {
			if (gateArmed) {
				entered.countDown();
				try {
					released.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		@Override
		public void process(Record<String, String> record) {
		}

	}

}
