package dev.tributary.query;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
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
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of one application, four partitions: every query gives the same,
 * complete answer whichever instance is asked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InteractiveQueriesIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final int WORDS = 120;

	// Recent: a windowed changelog keeps records by time, so old ones may be deleted by the
	// broker before another instance restores from it.
	private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(2));

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final Map<String, Long> expected = new TreeMap<>();

	private static String suffix;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@TempDir
	static Path firstState;

	@TempDir
	static Path secondState;

	@BeforeAll
	static void startTwoInstances() throws Exception {
		suffix = SharedBroker.unique("iq");
		SharedBroker.broker().createTopics(List.of("iq-words-" + suffix, "iq-events-" + suffix), 4);
		List<String> words = new ArrayList<>();
		for (int i = 0; i < WORDS; i++) {
			String word = String.format("w%03d", i);
			long count = i % 4 + 1;
			expected.put(word, count);
			for (int n = 0; n < count; n++) {
				words.add(word);
			}
		}
		SharedBroker.send("iq-words-" + suffix, words);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(),
				new StringSerializer())) {
			for (long offset : new long[] { 0, 10_000, 70_000 }) {
				producer.send(new ProducerRecord<>("iq-events-" + suffix, null, T0.toEpochMilli() + offset, "clicks", "x"));
			}
			for (long offset : new long[] { 0, 1_000, 100_000 }) {
				producer.send(new ProducerRecord<>("iq-events-" + suffix, null, T0.toEpochMilli() + offset, "visits", "x"));
			}
		}
		first = start(firstState);
		second = start(secondState);
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("words").state() == State.RUNNING);
		}
		// Wait until the counts are complete: both instances answer every key correctly
		// (until the group has settled, queries may answer unavailable).
		await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(QueryException.class).untilAsserted(() -> {
			for (ConfigurableApplicationContext context : List.of(first, second)) {
				StateStoreQueryService queries = context.getBean(StateStoreQueryService.class);
				assertThat(allEntries(queries)).hasSize(WORDS);
				assertThat(queries.get("words", "word-counts", "w003").value(Long.class)).isEqualTo(4L);
			}
		});
	}

	@AfterAll
	static void stop() {
		if (second != null) {
			second.close();
		}
		if (first != null) {
			first.close();
		}
	}

	@Test
	@Order(1)
	void everyKeyHasTheSameCorrectValueWhicheverInstanceIsAsked() throws Exception {
		Set<String> answeringHosts = new HashSet<>();
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			for (Map.Entry<String, Long> entry : expected.entrySet()) {
				HttpResponse<String> response = get(context, "/statestores/words/word-counts?key=" + entry.getKey());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				assertThat(JsonPath.<Integer>read(response.body(), "$.value")).as(entry.getKey())
					.isEqualTo(entry.getValue().intValue());
				assertThat(JsonPath.<String>read(response.body(), "$.key")).isEqualTo(entry.getKey());
				answeringHosts.add(JsonPath.read(response.body(), "$.host"));
			}
		}
		// Both instances own some keys: some answers were forwarded.
		assertThat(answeringHosts).hasSize(2);
		QueryResult result = first.getBean(StateStoreQueryService.class).get("words", "word-counts", "w002");
		assertThat(result.value(Long.class)).isEqualTo(3L);
		assertThat(result.timestamp()).isNotNull();
		assertThat(result.stale()).isFalse();
	}

	@Test
	@Order(2)
	void pagesThroughAllKeysInOrderAcrossInstances() throws Exception {
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			List<String> keys = new ArrayList<>();
			String cursor = null;
			int pages = 0;
			do {
				String body = get(context, "/statestores/words/word-counts?limit=37"
						+ ((cursor != null) ? "&cursor=" + cursor : "")).body();
				List<String> page = JsonPath.read(body, "$.entries[*].key");
				assertThat(page).hasSizeLessThanOrEqualTo(37);
				keys.addAll(page);
				cursor = JsonPath.read(body, "$.nextCursor");
				pages++;
			}
			while (cursor != null);
			assertThat(keys).containsExactlyElementsOf(expected.keySet());
			assertThat(pages).isEqualTo(4);
		}
	}

	@Test
	@Order(3)
	void answersRangesAndPrefixesMergedAndComplete() throws Exception {
		String range = get(second, "/statestores/words/word-counts?from=w010&to=w050&limit=50").body();
		assertThat(JsonPath.<List<String>>read(range, "$.entries[*].key"))
			.containsExactlyElementsOf(expected.keySet().stream().filter((k) -> k.compareTo("w010") >= 0 && k.compareTo("w050") <= 0).toList());
		assertThat(JsonPath.<List<Integer>>read(range, "$.entries[?(@.key == 'w013')].value")).containsExactly(2);
		String prefix = get(first, "/statestores/words/word-counts?prefix=w01").body();
		assertThat(JsonPath.<List<String>>read(prefix, "$.entries[*].key")).containsExactly("w010", "w011", "w012",
				"w013", "w014", "w015", "w016", "w017", "w018", "w019");
		KeyValuePage page = first.getBean(StateStoreQueryService.class).range("words", "word-counts", "w100", null, 5,
				null);
		assertThat(page.entries()).extracting(KeyValuePage.Entry::key)
			.containsExactly("w100", "w101", "w102", "w103", "w104");
		assertThat(page.nextCursor()).isNotNull();
	}

	@Test
	@Order(4)
	void answersWindowsAndSessionsWithTheirBounds() throws Exception {
		String timeRange = "&timeFrom=" + T0 + "&timeTo=" + T0.plusSeconds(120).toEpochMilli();
		// The events are processed independently of the words the set-up waited for.
		await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
			for (ConfigurableApplicationContext context : List.of(first, second)) {
				String windows = get(context, "/statestores/words/clicks-per-minute?key=clicks" + timeRange).body();
				assertThat(JsonPath.<List<Integer>>read(windows, "$.windows[*].value")).containsExactly(2, 1);
				assertThat(JsonPath.<List<String>>read(windows, "$.windows[*].start"))
					.containsExactly(T0.toString(), T0.plusSeconds(60).toString());
				assertThat(JsonPath.<List<String>>read(windows, "$.windows[*].end"))
					.containsExactly(T0.plusSeconds(60).toString(), T0.plusSeconds(120).toString());
				String allKeys = get(context, "/statestores/words/clicks-per-minute?" + timeRange.substring(1)).body();
				assertThat(JsonPath.<List<String>>read(allKeys, "$.windows[*].key")).containsExactly("clicks", "clicks",
						"visits", "visits");
				// A page of the first windows in order, whatever order the partitions gave them in.
				String firstThree = get(context, "/statestores/words/clicks-per-minute?limit=3&" + timeRange.substring(1))
					.body();
				assertThat(JsonPath.<List<String>>read(firstThree, "$.windows[*].key")).containsExactly("clicks",
						"clicks", "visits");
				assertThat(JsonPath.<List<String>>read(firstThree, "$.windows[*].start"))
					.containsExactly(T0.toString(), T0.plusSeconds(60).toString(), T0.toString());
				String sessions = get(context, "/statestores/words/visit-sessions?key=visits").body();
				assertThat(JsonPath.<List<Integer>>read(sessions, "$.windows[*].value")).containsExactly(2, 1);
				assertThat(JsonPath.<List<String>>read(sessions, "$.windows[*].end"))
					.containsExactly(T0.plusSeconds(1).toString(), T0.plusSeconds(100).toString());
			}
		});
		WindowedValues windows = first.getBean(StateStoreQueryService.class)
			.windows("words", "clicks-per-minute", "clicks", T0, T0.plusSeconds(120));
		assertThat(windows.windows()).extracting((w) -> w.value(Long.class)).containsExactly(2L, 1L);
	}

	@Test
	@Order(5)
	void describesTheStoresAndWhereTheyLive() throws Exception {
		String body = get(first, "/statestores").body();
		assertThat(JsonPath.<List<String>>read(body, "$.processors[0].stores[*].name")).containsExactly(
				"clicks-per-minute", "visit-sessions", "word-counts");
		assertThat(JsonPath.<List<String>>read(body, "$.processors[0].stores[?(@.name == 'word-counts')].type"))
			.containsExactly("TIMESTAMPED_KEY_VALUE");
		// Window and session stores are described with their type like the others, on
		// either instance.
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			String stores = get(context, "/statestores").body();
			assertThat(JsonPath.<List<String>>read(stores,
					"$.processors[0].stores[?(@.name == 'clicks-per-minute')].type"))
				.as(stores)
				.containsExactly("WINDOW");
			assertThat(JsonPath.<List<String>>read(stores, "$.processors[0].stores[?(@.name == 'visit-sessions')].type"))
				.as(stores)
				.containsExactly("SESSION");
		}
		assertThat(JsonPath.<List<String>>read(body, "$.processors[0].stores[?(@.name == 'word-counts')].keyType"))
			.containsExactly("string");
		assertThat(JsonPath.<List<String>>read(body,
				"$.processors[0].stores[?(@.name == 'word-counts')].keyTypeSource"))
			.containsExactly("default");
		List<List<Integer>> active = JsonPath.read(body,
				"$.processors[0].stores[?(@.name == 'word-counts')].instances[*].activePartitions");
		assertThat(active).hasSize(2);
		List<Integer> all = new ArrayList<>();
		active.forEach(all::addAll);
		assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3);
	}

	@Test
	@Order(6)
	void answersBadRequestsWithTheStatusAndWhatIsValid() throws Exception {
		HttpResponse<String> unknownProcessor = get(first, "/statestores/nope/word-counts?key=a");
		assertThat(unknownProcessor.statusCode()).isEqualTo(404);
		assertThat(JsonPath.<List<String>>read(unknownProcessor.body(), "$.processors")).containsExactly("words");
		HttpResponse<String> unknownStore = get(first, "/statestores/words/nope?key=a");
		assertThat(unknownStore.statusCode()).isEqualTo(404);
		assertThat(JsonPath.<List<String>>read(unknownStore.body(), "$.stores")).contains("word-counts");
		HttpResponse<String> absent = get(first, "/statestores/words/word-counts?key=absent");
		assertThat(absent.statusCode()).isEqualTo(404);
		assertThat(JsonPath.<String>read(absent.body(), "$.error")).contains("No value for key 'absent'");
		HttpResponse<String> badTime = get(first, "/statestores/words/clicks-per-minute?key=clicks&timeFrom=yesterday");
		assertThat(badTime.statusCode()).isEqualTo(400);
		assertThat(JsonPath.<String>read(badTime.body(), "$.error")).contains("ISO-8601").contains("epoch milliseconds");
		HttpResponse<String> clamped = get(first, "/statestores/words/word-counts?limit=100000");
		assertThat(clamped.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<Integer>read(clamped.body(), "$.limit")).isEqualTo(50);
		assertThat(JsonPath.<Boolean>read(clamped.body(), "$.limitClamped")).isTrue();
		assertThat(get(first, "/statestores/words/word-counts?limit=many").statusCode()).isEqualTo(400);
		assertThat(get(first, "/statestores/words/word-counts?cursor=%25%25").statusCode()).isEqualTo(400);
	}

	@Test
	@Order(7)
	void answers503WithRetryAfterWhileAProcessorCannotAnswer() throws Exception {
		ProcessorRegistry registry = second.getBean(ProcessorRegistry.class);
		registry.stop("words");
		HttpResponse<String> response = get(second, "/statestores/words/word-counts?key=w001");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(JsonPath.<String>read(response.body(), "$.error")).contains("is not running");
		registry.start("words");
		await().atMost(TIMEOUT).until(() -> registry.get("words").state() == State.RUNNING);
	}

	@Test
	@Order(8)
	void theRemainingInstanceAnswersEverythingOnceItHasTakenOver() {
		second.close();
		second = null;
		StateStoreQueryService queries = first.getBean(StateStoreQueryService.class);
		// Until the group has settled without it, scans answer unavailable (503).
		await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(QueryException.class).untilAsserted(() -> {
			Map<String, Long> values = new TreeMap<>();
			allEntries(queries).forEach((entry) -> values.put(entry.key(), entry.value(Long.class)));
			assertThat(values).isEqualTo(expected);
		});
		for (Map.Entry<String, Long> entry : expected.entrySet()) {
			assertThat(queries.get("words", "word-counts", entry.getKey()).value(Long.class)).isEqualTo(entry.getValue());
		}
	}

	private static List<KeyValuePage.Entry> allEntries(StateStoreQueryService queries) {
		List<KeyValuePage.Entry> entries = new ArrayList<>();
		String cursor = null;
		do {
			KeyValuePage page = queries.all("words", "word-counts", 50, cursor);
			entries.addAll(page.entries());
			cursor = page.nextCursor();
		}
		while (cursor != null);
		return entries;
	}

	private static ConfigurableApplicationContext start(Path stateDir) {
		return new SpringApplicationBuilder(QueryApplication.class).properties("server.port=0",
				"spring.application.name=iq-" + suffix, "spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(),
				"test.suffix=" + suffix, "tributary.streams.state.dir=" + stateDir,
				"tributary.streams.commit.interval.ms=100", "tributary.streams.statestore.cache.max.bytes=0",
				"tributary.close-timeout=10s", "tributary.query.advertised-host=localhost",
				"tributary.query.max-limit=50", "tributary.query.rebalance-timeout=10s", "tributary.query.peer.secret=query-tests-shared-secret-0123",
				"management.endpoints.web.exposure.include=health,statestores")
			.run();
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";
		return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
			builder.stream("iq-words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("word-counts"));
			var events = builder.stream("iq-events-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.String(), Serdes.String()));
			events.windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
				.count(Materialized.<String, Long, org.apache.kafka.streams.state.WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
						"clicks-per-minute").withRetention(Duration.ofDays(1)));
			events.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(Duration.ofSeconds(10)))
				.count(Materialized.<String, Long, org.apache.kafka.streams.state.SessionStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
						"visit-sessions").withRetention(Duration.ofDays(1)));
		}

	}

}
