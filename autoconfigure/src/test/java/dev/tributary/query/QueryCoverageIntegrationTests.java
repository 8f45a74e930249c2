package dev.tributary.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * Issue 14, items 3 and 5: queries find every key and cover every partition.
 *
 * <p>One application, two instances with web servers, two processors:
 * <ul>
 * <li>{@code accounts}: a table of {@code long} keys in two partitions, written by a
 * producer whose partitioner is not Kafka's (key mod 2), with a
 * {@code StreamPartitioner} bean that mirrors it configured for the store;</li>
 * <li>{@code coverage}: a count of 40 string keys in four partitions, which a third
 * member of the group without a web server (so without {@code application.server})
 * joins and leaves.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryCoverageIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final int ACCOUNTS = 20;

	private static final int WORDS = 40;

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final Map<Long, String> accounts = new TreeMap<>();

	private static final List<String> words = new ArrayList<>();

	private static String suffix;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@TempDir
	static Path firstState;

	@TempDir
	static Path secondState;

	@TempDir
	static Path thirdState;

	@BeforeAll
	static void startTwoInstances() {
		suffix = SharedBroker.unique("coverage");
		SharedBroker.broker().createTopics(List.of("coverage-accounts-" + suffix), 2);
		SharedBroker.broker().createTopics(List.of("coverage-words-" + suffix), 4);
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers(),
				ProducerConfig.PARTITIONER_CLASS_CONFIG, KeyModuloPartitioner.class.getName());
		try (KafkaProducer<Long, String> producer = new KafkaProducer<>(config, new LongSerializer(),
				new StringSerializer())) {
			for (long key = 1; key <= ACCOUNTS; key++) {
				accounts.put(key, "account-" + key);
				producer.send(new ProducerRecord<>("coverage-accounts-" + suffix, key, "account-" + key));
			}
		}
		for (int i = 0; i < WORDS; i++) {
			words.add(String.format("w%02d", i));
		}
		SharedBroker.send("coverage-words-" + suffix, words);
		first = start(firstState);
		await().atMost(TIMEOUT).until(() -> running(first, "accounts", "coverage"));
		second = start(secondState);
		await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
			for (ConfigurableApplicationContext context : List.of(first, second)) {
				assertThat(running(context, "accounts", "coverage")).isTrue();
				assertThat(activeTasks(context, "accounts")).isEqualTo(1);
				assertThat(activeTasks(context, "coverage")).isPositive();
			}
			Map<Object, Object> found = new HashMap<>(local(first, "accounts", "accounts"));
			found.putAll(local(second, "accounts", "accounts"));
			assertThat(found).isEqualTo(new HashMap<>(accounts));
			Map<Object, Object> counts = new HashMap<>(local(first, "coverage", "coverage-counts"));
			counts.putAll(local(second, "coverage", "coverage-counts"));
			assertThat(counts).hasSize(WORDS);
		});
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { second, first }) {
			if (context != null) {
				context.close();
			}
		}
	}

	// ---- item 3: a partitioner per store for routing ---------------------------------------

	@Test
	@Order(1)
	void everyKeyOfAStorePartitionedByItsOwnPartitionerIsFoundOnEveryInstance() throws Exception {
		// Without tributary.processors.accounts.stores.accounts.partitioner, keys are
		// routed by murmur2 of the serialized key: 1, 5, 6, 9, 10, 11, 13, 14, 15, 16 and
		// 18 then go to the partition that does not hold them and answer 404, on both
		// instances, by HTTP and by the Java API (measured on the code before issue 14).
		List<String> failures = new ArrayList<>();
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			StateStoreQueryService queries = context.getBean(StateStoreQueryService.class);
			for (Map.Entry<Long, String> entry : accounts.entrySet()) {
				HttpResponse<String> response = get(context, "/statestores/accounts/accounts?key=" + entry.getKey());
				if (response.statusCode() != 200
						|| !entry.getValue().equals(JsonPath.<Object>read(response.body(), "$.value"))) {
					failures.add(name(context) + " ?key=" + entry.getKey() + " -> " + response.statusCode() + " "
							+ response.body());
				}
				try {
					String value = queries.get("accounts", "accounts", entry.getKey()).value(String.class);
					if (!entry.getValue().equals(value)) {
						failures.add(name(context) + " get(" + entry.getKey() + "L) -> " + value);
					}
				}
				catch (QueryException ex) {
					failures.add(name(context) + " get(" + entry.getKey() + "L) -> " + ex.getMessage());
				}
			}
		}
		assertThat(failures).as("keys not found").isEmpty();
	}

	// ---- item 5: a scan covers every partition or answers 503 ------------------------------

	@Test
	@Order(2)
	void aScanWhileAMemberWithoutAnAddressHoldsPartitionsAnswersServiceUnavailableNotAPartialPage()
			throws Exception {
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			assertThat(scannedKeys(context)).isEqualTo(words);
		}
		// A member of the same application without a web server: it advertises no
		// application.server, so no one can ask it for the partitions it takes.
		ConfigurableApplicationContext third = SharedBroker.startApplication(CoverageOnlyApplication.class,
				"coverage-" + suffix, suffix, thirdState, "tributary.streams.statestore.cache.max.bytes=0",
				"tributary.query.advertised-host=localhost", "tributary.query.peer.secret=query-tests-shared-secret-0123");
		try {
			await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
				assertThat(running(third, "coverage")).isTrue();
				assertThat(activeTasks(third, "coverage")).isPositive();
				assertThat(running(first, "coverage") && running(second, "coverage")).isTrue();
				assertThat(activeTasks(first, "coverage") + activeTasks(second, "coverage")
						+ activeTasks(third, "coverage")).isEqualTo(4);
			});
			for (ConfigurableApplicationContext context : List.of(first, second)) {
				for (int attempt = 0; attempt < 3; attempt++) {
					HttpResponse<String> response = get(context, "/statestores/coverage/coverage-counts?limit=100");
					assertThat(response.statusCode()).as(name(context) + ": " + response.body()).isEqualTo(503);
					assertThat(response.headers().firstValue("Retry-After")).as(response.body()).isPresent();
				}
			}
		}
		finally {
			third.close();
		}
		await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
			for (ConfigurableApplicationContext context : List.of(first, second)) {
				assertThat(scannedKeys(context)).isEqualTo(words);
			}
		});
	}

	// ---- fixture ----------------------------------------------------------------------

	private static List<String> scannedKeys(ConfigurableApplicationContext context) throws Exception {
		HttpResponse<String> response = get(context, "/statestores/coverage/coverage-counts?limit=100");
		assertThat(response.statusCode()).as(name(context) + ": " + response.body()).isEqualTo(200);
		assertThat(JsonPath.<Object>read(response.body(), "$.nextCursor")).isNull();
		return JsonPath.read(response.body(), "$.entries[*].key");
	}

	private static ConfigurableApplicationContext start(Path stateDir) {
		return new SpringApplicationBuilder(CoverageApplication.class)
			.properties("server.port=0", "spring.application.name=coverage-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.session.timeout.ms=6000", "tributary.streams.statestore.cache.max.bytes=0",
					"tributary.close-timeout=10s", "tributary.query.advertised-host=localhost",
					"tributary.query.rebalance-timeout=1s", "tributary.query.peer.secret=query-tests-shared-secret-0123",
					"management.endpoints.web.exposure.include=statestores,streams,health",
					"tributary.processors.accounts.stores.accounts.key-type=long",
					"tributary.processors.accounts.stores.accounts.partitioner=accountPartitioner")
			.run();
	}

	private static boolean running(ConfigurableApplicationContext context, String... processors) {
		ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
		return List.of(processors).stream().allMatch((name) -> registry.get(name).state() == State.RUNNING);
	}

	private static KafkaStreams streams(ConfigurableApplicationContext context, String processor) {
		return context.getBean(ProcessorRegistry.class).get(processor).kafkaStreams().orElseThrow();
	}

	private static int activeTasks(ConfigurableApplicationContext context, String processor) {
		return streams(context, processor).metadataForLocalThreads()
			.stream()
			.mapToInt((thread) -> thread.activeTasks().size())
			.sum();
	}

	/**
	 * What this instance's active partitions hold, read with Kafka Streams' own
	 * interactive queries.
	 */
	private static Map<Object, Object> local(ConfigurableApplicationContext context, String processor, String store) {
		Map<Object, Object> found = new HashMap<>();
		try {
			ReadOnlyKeyValueStore<Object, Object> local = streams(context, processor)
				.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
			try (KeyValueIterator<Object, Object> all = local.all()) {
				all.forEachRemaining((entry) -> found.put(entry.key, entry.value));
			}
		}
		catch (InvalidStateStoreException ex) {
			if (activeTasks(context, processor) > 0) {
				throw ex;
			}
		}
		return found;
	}

	private static String name(ConfigurableApplicationContext context) {
		return (context == first) ? "first instance" : "second instance";
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		URI uri = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port")
				+ "/actuator" + path);
		return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The producer's partitioner: a {@code long} key modulo the partition count, not
	 * murmur2 of its bytes.
	 */
	public static final class KeyModuloPartitioner implements Partitioner {

		@Override
		public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
				Cluster cluster) {
			return (int) Math.floorMod((Long) key, (long) cluster.partitionCountForTopic(topic));
		}

		@Override
		public void configure(Map<String, ?> configs) {
		}

		@Override
		public void close() {
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Accounts.class, Coverage.class })
	static class CoverageApplication {

		/**
		 * Routes queries of the accounts store as the producer partitioned its topic.
		 */
		@Bean
		StreamPartitioner<Long, Object> accountPartitioner() {
			return (topic, key, value, partitions) -> Optional.of(Set.of((int) Math.floorMod(key, (long) partitions)));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Coverage.class)
	static class CoverageOnlyApplication {

	}

	@StreamProcessor("accounts")
	static class Accounts {

		private final String suffix;

		Accounts(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.table("coverage-accounts-" + this.suffix, Consumed.with(Serdes.Long(), Serdes.String()),
					Materialized.as("accounts"));
		}

	}

	@StreamProcessor("coverage")
	static class Coverage {

		private final String suffix;

		Coverage(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("coverage-words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("coverage-counts"));
		}

	}

}
