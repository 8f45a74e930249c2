package dev.tributary.query;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.query.peer.PeerClient;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.serialization.Serdes;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * When the owner of a key cannot be reached, a standby answers (marked stale) if allowed,
 * and otherwise the query fails with 503 after the timeout instead of hanging.
 */
class StaleReadsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	Path firstState;

	@TempDir
	Path secondState;

	@Test
	void aStandbyAnswersStaleWhenTheOwnerIsUnreachableAndOnlyIfAllowed() {
		String suffix = SharedBroker.unique("stale");
		SharedBroker.broker().createTopics(List.of("stale-words-" + suffix), 4);
		List<String> words = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			words.add("w" + i);
		}
		SharedBroker.send("stale-words-" + suffix, words);
		// The second instance advertises an address nobody listens on: it looks down to the
		// first, which holds a standby of every partition the second owns.
		try (ConfigurableApplicationContext first = start(suffix, this.firstState);
				ConfigurableApplicationContext second = start(suffix, this.secondState,
						"tributary.streams.application.server=localhost:1")) {
			for (ConfigurableApplicationContext context : List.of(first, second)) {
				ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
				await().atMost(TIMEOUT).until(() -> registry.get("words").state() == State.RUNNING);
			}
			StateStoreQueryService queries = first.getBean(StateStoreQueryService.class);
			// Until the assignment settles a query may fail with 503: keep asking.
			await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(QueryException.class).untilAsserted(() -> {
				List<QueryResult> results = new ArrayList<>();
				for (String word : words) {
					results.add(queries.get("words", "counts", word));
				}
				assertThat(results).allSatisfy((result) -> assertThat(result.value(Long.class)).isEqualTo(1L));
				// Keys the unreachable instance owns were answered by this one's standby.
				assertThat(results).anySatisfy((result) -> assertThat(result.stale()).isTrue());
				assertThat(results).anySatisfy((result) -> assertThat(result.stale()).isFalse());
			});

			StateStoreQueryService strict = StateStoreQueryServices.create(first.getBean(ProcessorRegistry.class),
					first.getBean(ApplicationServerAdvertiser.class), List.of(), (processor, store) -> null,
					(processor, store) -> null,
					new StateStoreQueryService.Settings(100, 1000, Duration.ofMillis(500), false, 10_000),
					tools.jackson.databind.json.JsonMapper.builder().build(), first.getBean(PeerClient.class));
			String ownedByTheOther = words.stream()
				.filter((word) -> queries.get("words", "counts", word).stale())
				.findFirst()
				.orElseThrow();
			long began = System.nanoTime();
			assertThatExceptionOfType(QueryException.class)
				.isThrownBy(() -> strict.get("words", "counts", ownedByTheOther))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(QueryException.Reason.UNAVAILABLE);
					assertThat(ex.getMessage()).contains("localhost:1").contains("could not be reached");
				});
			assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
		}
	}

	private static ConfigurableApplicationContext start(String suffix, Path stateDir, String... more) {
		return new SpringApplicationBuilder(StaleApplication.class)
			.properties("server.port=0", "spring.application.name=stale-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.num.standby.replicas=1", "tributary.streams.statestore.cache.max.bytes=0",
					"tributary.close-timeout=10s", "tributary.query.advertised-host=localhost",
					"tributary.query.allow-stale=true", "tributary.query.rebalance-timeout=2s",
					"tributary.query.connect-timeout=300ms",
					"tributary.query.peer.secret=stale-reads-test-secret-0123456789")
			.properties(more)
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Words.class)
	static class StaleApplication {

	}

	@StreamProcessor("words")
	static class Words {

		private final String suffix;

		Words(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("stale-words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("counts"));
		}

	}

}
