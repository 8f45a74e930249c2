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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, items 1, 2, 4, 6, 7, 8 and 9: the answers of the {@code statestores} endpoint
 * are right, complete and the same whichever of two instances is asked.
 *
 * <p>One application, two instances (web server and Actuator on one random port each),
 * four processors:
 * <ul>
 * <li>{@code events}: string keys in two partitions, a one-minute windowed count
 * ({@code windows}) and a plain count ({@code totals});</li>
 * <li>{@code numbers}: counts of {@code long} keys -10..10 ({@code long-counts}) and of
 * {@code integer} keys -10..10 ({@code int-counts}), two partitions each, key types
 * configured;</li>
 * <li>{@code untyped}: a count of {@code long} keys whose key serde comes only from the
 * processor's {@code default.key.serde}, no {@code key-type} configured, and every key
 * in one of its two partitions, so one instance holds none of its data;</li>
 * <li>{@code idle}: {@code auto-startup: false}, never started.</li>
 * </ul>
 * The set-up waits for the data through Kafka Streams' own interactive queries, so no
 * query of Tributary's has touched a store before the tests run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryAnswersIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	// Recent: a windowed changelog keeps records by time, so old ones may be deleted by the
	// broker before another instance restores from it.
	private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(2));

	private static final Instant T_END = T0.plus(Duration.ofMinutes(10));

	private static final String TIME_RANGE = "timeFrom=" + T0 + "&timeTo=" + T_END.toEpochMilli();

	private static final List<String> WINDOW_KEYS = List.of("a", "b", "c", "d", "e", "f");

	// Both hash (murmur2 of the 8-byte long) to partition 0 of 2. As text, "42" hashes to
	// partition 0 too, but "50" to partition 1: an instance that reads ?key=50 as a
	// string routes it to the partition that does not hold it.
	private static final Map<Long, Long> UNTYPED = Map.of(42L, 2L, 50L, 3L);

	private static final HttpClient http = HttpClient.newHttpClient();

	/** Every window, in key then window-start order. */
	private static final List<Window> windows = new ArrayList<>();

	/** The counts of the {@code numbers} stores by key, -10..10. */
	private static final Map<Long, Long> numbers = new LinkedHashMap<>();

	private static String suffix;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@TempDir
	static Path firstState;

	@TempDir
	static Path secondState;

	record Window(String key, long startMs, long count) {

	}

	@BeforeAll
	static void startTwoInstances() {
		suffix = SharedBroker.unique("answers");
		SharedBroker.broker()
			.createTopics(List.of(topic("events"), topic("longs"), topic("ints"), topic("untyped")), 2);
		produceEvents();
		produceNumbers();
		first = start(firstState);
		await().atMost(TIMEOUT).until(() -> running(first));
		second = start(secondState);
		// Both instances running, each holding active partitions of the events and numbers
		// processors, and every count in place (read with Kafka Streams' own queries).
		await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
			for (ConfigurableApplicationContext context : List.of(first, second)) {
				assertThat(running(context)).isTrue();
				assertThat(activeTasks(context, "events")).isPositive();
				assertThat(activeTasks(context, "numbers")).isPositive();
			}
			List<Window> found = new ArrayList<>();
			found.addAll(localWindows(first));
			found.addAll(localWindows(second));
			assertThat(found).containsExactlyInAnyOrderElementsOf(windows);
			Map<Object, Long> longs = new HashMap<>(localCounts(first, "numbers", "long-counts"));
			longs.putAll(localCounts(second, "numbers", "long-counts"));
			assertThat(longs).isEqualTo(new HashMap<>(numbers));
			Map<Object, Long> ints = new HashMap<>(localCounts(first, "numbers", "int-counts"));
			ints.putAll(localCounts(second, "numbers", "int-counts"));
			assertThat(ints).hasSize(numbers.size());
			Map<Object, Long> untyped = new HashMap<>(localCounts(first, "untyped", "untyped-counts"));
			untyped.putAll(localCounts(second, "untyped", "untyped-counts"));
			assertThat(untyped).isEqualTo(new HashMap<>(UNTYPED));
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

	// ---- item 2: the key type from the topology's serdes, the same on every instance ----

	@Test
	@Order(1)
	void aLongKeyedStoreWithoutAConfiguredKeyTypeIsQueriedAsLongOnEveryInstance() throws Exception {
		// The instance that holds none of the store's data, asked before any query has
		// touched it: it cannot learn the key type from data, it must know it.
		boolean firstHoldsAll = localCounts(first, "untyped", "untyped-counts").size() == UNTYPED.size();
		boolean secondHoldsAll = localCounts(second, "untyped", "untyped-counts").size() == UNTYPED.size();
		assertThat(firstHoldsAll ^ secondHoldsAll).as("one instance holds every key of untyped-counts").isTrue();
		ConfigurableApplicationContext owner = firstHoldsAll ? first : second;
		ConfigurableApplicationContext empty = firstHoldsAll ? second : first;
		for (ConfigurableApplicationContext context : List.of(empty, owner)) {
			for (Map.Entry<Long, Long> entry : UNTYPED.entrySet()) {
				HttpResponse<String> response = get(context, "/statestores/untyped/untyped-counts?key=" + entry.getKey());
				assertThat(response.statusCode()).as(name(context) + " ?key=" + entry.getKey() + ": " + response.body())
					.isEqualTo(200);
				assertThat(JsonPath.<Object>read(response.body(), "$.value")).as(response.body())
					.isEqualTo(entry.getValue().intValue());
			}
		}
		for (ConfigurableApplicationContext context : List.of(empty, owner)) {
			String stores = get(context, "/statestores").body();
			assertThat(JsonPath.<List<Object>>read(stores,
					"$.processors[?(@.name == 'untyped')].stores[?(@.name == 'untyped-counts')].keyType"))
				.as(name(context) + ": " + stores)
				.containsExactly("long");
			StateStoreQueryService queries = context.getBean(StateStoreQueryService.class);
			for (Map.Entry<Long, Long> entry : UNTYPED.entrySet()) {
				assertThat(queries.get("untyped", "untyped-counts", entry.getKey()).value(Long.class))
					.as(name(context) + " get(" + entry.getKey() + "L)")
					.isEqualTo(entry.getValue());
			}
		}
	}

	// ---- item 1: all-keys window scans answer the windows' values --------------------------

	@Test
	@Order(2)
	void aWindowScanOverAllKeysAnswersTheSameValuesAsTheWindowsOfEachKey() throws Exception {
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			HttpResponse<String> response = get(context, "/statestores/events/windows?" + TIME_RANGE + "&limit=100");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			String body = response.body();
			assertThat(JsonPath.<List<String>>read(body, "$.windows[*].key")).as(body)
				.containsExactlyElementsOf(windows.stream().map(Window::key).toList());
			assertThat(JsonPath.<List<Object>>read(body, "$.windows[*].startMs")).as(body)
				.map(QueryAnswersIntegrationTests::asLong)
				.containsExactlyElementsOf(windows.stream().map(Window::startMs).toList());
			assertThat(JsonPath.<List<Object>>read(body, "$.windows[*].value")).as(name(context) + ": " + body)
				.map(QueryAnswersIntegrationTests::asLong)
				.containsExactlyElementsOf(windows.stream().map(Window::count).toList());
			// Both instances hold some of the windows: the scan merged a local and a
			// forwarded answer.
			assertThat(JsonPath.<List<String>>read(body, "$.windows[*].host")).as(body).hasSameElementsAs(hosts());
			for (String key : WINDOW_KEYS) {
				String byKey = get(context, "/statestores/events/windows?key=" + key + "&" + TIME_RANGE).body();
				assertThat(JsonPath.<List<Object>>read(byKey, "$.windows[*].value")).as(byKey)
					.map(QueryAnswersIntegrationTests::asLong)
					.containsExactlyElementsOf(windows.stream().filter((w) -> w.key().equals(key)).map(Window::count).toList());
				assertThat(JsonPath.<List<Object>>read(byKey, "$.windows[*].value"))
					.isEqualTo(JsonPath.<List<Object>>read(body, "$.windows[?(@.key == '" + key + "')].value"));
			}
		}
	}

	// ---- item 6: every truncated answer has a cursor ----------------------------------------

	@Test
	@Order(3)
	void aWindowScanOverAllKeysPagesThroughEveryWindowWithACursor() throws Exception {
		assertThat(windows).hasSizeGreaterThan(2);
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			String firstPage = get(context, "/statestores/events/windows?" + TIME_RANGE + "&limit=2").body();
			assertThat(JsonPath.<List<Object>>read(firstPage, "$.windows")).as(firstPage).hasSize(2);
			assertThat(JsonPath.<Boolean>read(firstPage, "$.truncated")).as(firstPage).isTrue();
			assertThat(nextCursor(firstPage)).as(name(context) + ": " + firstPage).isNotNull();
			List<String> walked = new ArrayList<>();
			String cursor = null;
			int pages = 0;
			do {
				HttpResponse<String> response = get(context, "/statestores/events/windows?" + TIME_RANGE + "&limit=2"
						+ ((cursor != null) ? "&cursor=" + encode(cursor) : ""));
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				String body = response.body();
				List<String> keys = JsonPath.read(body, "$.windows[*].key");
				List<Object> starts = JsonPath.read(body, "$.windows[*].startMs");
				assertThat(keys).as(body).hasSizeLessThanOrEqualTo(2);
				for (int i = 0; i < keys.size(); i++) {
					walked.add(keys.get(i) + "@" + Instant.ofEpochMilli(number(starts.get(i))));
				}
				cursor = nextCursor(body);
				if (JsonPath.<Boolean>read(body, "$.truncated")) {
					assertThat(cursor).as("a truncated page has a cursor: " + body).isNotNull();
				}
				pages++;
				assertThat(pages).as("pages walked so far: " + walked).isLessThanOrEqualTo(windows.size());
			}
			while (cursor != null);
			assertThat(walked).as(name(context))
				.containsExactlyElementsOf(windows.stream().map((w) -> w.key() + "@" + Instant.ofEpochMilli(w.startMs())).toList());
		}
	}

	// ---- item 4: signed numeric keys in their numeric order ---------------------------------

	@Test
	@Order(4)
	void rangesAndPagesOfSignedNumericKeysFollowNumericOrder() throws Exception {
		List<String> all = numbers.keySet().stream().map(String::valueOf).toList();
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			for (String store : List.of("long-counts", "int-counts")) {
				String path = "/statestores/numbers/" + store + "?limit=100&";
				String range = get(context, path + "from=-5&to=5").body();
				assertThat(keys(range)).as(name(context) + " " + store + " from=-5&to=5: " + range)
					.containsExactlyElementsOf(numericKeys(-5, 5));
				assertThat(JsonPath.<List<Object>>read(range, "$.entries[*].value")).as(range)
					.map(QueryAnswersIntegrationTests::asLong)
					.containsExactlyElementsOf(LongStream.rangeClosed(-5, 5).mapToObj(numbers::get).toList());
				String from = get(context, path + "from=-5").body();
				assertThat(keys(from)).as(name(context) + " " + store + " from=-5: " + from)
					.containsExactlyElementsOf(numericKeys(-5, 10));
				String to = get(context, path + "to=-3").body();
				assertThat(keys(to)).as(name(context) + " " + store + " to=-3: " + to)
					.containsExactlyElementsOf(numericKeys(-10, -3));
				List<String> walked = new ArrayList<>();
				String cursor = null;
				int pages = 0;
				do {
					String page = get(context, "/statestores/numbers/" + store + "?limit=3"
							+ ((cursor != null) ? "&cursor=" + encode(cursor) : "")).body();
					assertThat(keys(page)).as(page).hasSizeLessThanOrEqualTo(3);
					walked.addAll(keys(page));
					cursor = nextCursor(page);
					pages++;
					assertThat(pages).as("pages walked so far: " + walked).isLessThanOrEqualTo(all.size());
				}
				while (cursor != null);
				assertThat(walked).as(name(context) + " " + store + " pages of 3").containsExactlyElementsOf(all);
			}
		}
	}

	// ---- item 7: one answer whichever instance is asked ------------------------------------

	@Test
	@Order(5)
	void anAbsentKeyOrABadKeyGetsTheSameAnswerFromTheOwnerAndFromTheOtherInstance() throws Exception {
		long absent = 1000L;
		KafkaStreams streams = streams(first, "numbers");
		int ownerPort = streams.queryMetadataForKey("long-counts", absent, new LongSerializer()).activeHost().port();
		ConfigurableApplicationContext owner = (port(first) == ownerPort) ? first : second;
		ConfigurableApplicationContext other = (owner == first) ? second : first;
		assertThat(port(owner)).isEqualTo(ownerPort);
		HttpResponse<String> fromOwner = get(owner, "/statestores/numbers/long-counts?key=" + absent);
		HttpResponse<String> fromOther = get(other, "/statestores/numbers/long-counts?key=" + absent);
		assertThat(fromOwner.statusCode()).as(fromOwner.body()).isEqualTo(404);
		assertThat(JsonPath.<Integer>read(fromOwner.body(), "$.status")).isEqualTo(404);
		assertThat(JsonPath.<String>read(fromOwner.body(), "$.error")).contains("1000");
		assertThat(fromOther.statusCode()).as(fromOther.body()).isEqualTo(404);
		assertThat(json(fromOther)).as("the other instance relays the owner's answer").isEqualTo(json(fromOwner));
		HttpResponse<String> badFromOwner = get(owner, "/statestores/numbers/long-counts?key=abc");
		HttpResponse<String> badFromOther = get(other, "/statestores/numbers/long-counts?key=abc");
		assertThat(badFromOwner.statusCode()).as(badFromOwner.body()).isEqualTo(400);
		assertThat(JsonPath.<Integer>read(badFromOwner.body(), "$.status")).isEqualTo(400);
		assertThat(JsonPath.<String>read(badFromOwner.body(), "$.error")).contains("abc");
		assertThat(badFromOther.statusCode()).as(badFromOther.body()).isEqualTo(400);
		assertThat(json(badFromOther)).isEqualTo(json(badFromOwner));
	}

	// ---- item 8: contradictory or meaningless parameters are 400s naming what is valid -----

	@Test
	@Order(6)
	void contradictoryOrMeaninglessParametersAreBadRequestsNamingWhatIsValid() throws Exception {
		List<String> keyValueParameters = List.of("key", "from", "to", "prefix", "limit", "cursor");
		Map<String, List<String>> cases = new LinkedHashMap<>();
		cases.put("/statestores/events/totals?key=a&prefix=a", List.of("key", "prefix"));
		cases.put("/statestores/numbers/long-counts?from=5&to=1", List.of("from", "to"));
		cases.put("/statestores/events/totals?" + TIME_RANGE, concat(List.of("timeFrom"), keyValueParameters));
		cases.put("/statestores/numbers/long-counts?key=1&asOf=" + T0, List.of("asOf"));
		cases.put("/statestores/events/totals?key=a&key=b", List.of("key"));
		cases.put("/statestores/events/totals?key=a&timeFrom=garbage", List.of("timeFrom"));
		// On a window store timeFrom applies: the owner of 'a' must not be the first to
		// look at it (the answers would then differ by instance).
		cases.put("/statestores/events/windows?key=a&timeFrom=garbage", List.of("timeFrom"));
		cases.put("/statestores/events/totals?colour=red", concat(List.of("colour"), keyValueParameters));
		// Parameters forwarding used to add are not public.
		cases.put("/statestores/events/totals?key=a&local=true", concat(List.of("local"), keyValueParameters));
		cases.put("/statestores/events/totals?key=a&stale=true", concat(List.of("stale"), keyValueParameters));
		cases.put("/statestores/events/totals?key=a&partition=0", concat(List.of("partition"), keyValueParameters));
		List<String> failures = new ArrayList<>();
		for (Map.Entry<String, List<String>> entry : cases.entrySet()) {
			HttpResponse<String> fromFirst = get(first, entry.getKey());
			HttpResponse<String> fromSecond = get(second, entry.getKey());
			try {
				assertBadRequestNaming(fromFirst, entry.getValue());
				assertBadRequestNaming(fromSecond, entry.getValue());
				assertThat(json(fromSecond)).as("the same answer from both instances").isEqualTo(json(fromFirst));
			}
			catch (AssertionError ex) {
				failures.add(entry.getKey() + " -> first " + fromFirst.statusCode() + " " + fromFirst.body()
						+ " | second " + fromSecond.statusCode() + " " + fromSecond.body() + " | "
						+ ex.getMessage().replaceAll("\\s+", " "));
			}
		}
		assertThat(failures).as("requests not answered 400 naming what is valid").isEmpty();
	}

	@Test
	@Order(7)
	void anUnknownKeyTypeFailsStartUpNamingTheKey() {
		SpringApplication application = new SpringApplication(KeyTypeApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException()
			.isThrownBy(() -> application.run("--spring.application.name=" + suffix + "-key-type",
					"--spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "--test.suffix=" + suffix,
					"--tributary.auto-startup=false",
					"--tributary.processors.numbers.stores.long-counts.key-type=lnog"))
			.withStackTraceContaining("tributary.processors.numbers.stores.long-counts.key-type")
			.withStackTraceContaining("lnog");
	}

	// ---- item 9: a processor never started answers 503 --------------------------------------

	@Test
	@Order(8)
	void aProcessorThatWasNeverStartedAnswersServiceUnavailable() throws Exception {
		for (String query : List.of("", "?key=a")) {
			HttpResponse<String> response = get(first, "/statestores/idle/idle-counts" + query);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).as(response.body()).isPresent();
			assertThat(JsonPath.<Integer>read(response.body(), "$.status")).isEqualTo(503);
			assertThat(JsonPath.<String>read(response.body(), "$.error")).as(response.body())
				.containsPattern(Pattern.compile("(?i)not (been |yet )?started"));
		}
	}

	// ---- issue 15, item 6: window stores are described; key answers echo no limit ---------

	@Test
	@Order(9)
	void everyStoreIsDescribedWithItsTypeWindowStoresIncluded() throws Exception {
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			String stores = get(context, "/statestores").body();
			assertThat(JsonPath.<List<Object>>read(stores,
					"$.processors[?(@.name == 'events')].stores[?(@.name == 'windows')].type"))
				.as(name(context) + ": " + stores)
				.containsExactly("WINDOW");
			assertThat(JsonPath.<List<Object>>read(stores,
					"$.processors[?(@.name == 'events')].stores[?(@.name == 'totals')].type"))
				.as(name(context) + ": " + stores)
				.containsExactly("TIMESTAMPED_KEY_VALUE");
		}
	}

	@Test
	@Order(10)
	void theWindowsOfOneKeyComeWholeWithoutALimitToEcho() throws Exception {
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			for (String key : WINDOW_KEYS) {
				String byKey = get(context, "/statestores/events/windows?key=" + key).body();
				Map<String, Object> answer = JsonPath.read(byKey, "$");
				assertThat(answer).as(name(context) + ": " + byKey)
					.containsEntry("count", (int) windows.stream().filter((w) -> w.key().equals(key)).count())
					.doesNotContainKeys("limit", "truncated", "nextCursor");
			}
		}
	}

	// ---- fixture ----------------------------------------------------------------------

	/**
	 * Windows of one minute: key {@code i} has windows in minutes 0..(i % 3), with (i + m)
	 * % 4 + 1 events in minute m. Sent in time order, so none is late.
	 */
	private static void produceEvents() {
		Map<String, Long> byKeyAndStart = new HashMap<>();
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new StringSerializer(),
				new StringSerializer())) {
			for (int minute = 0; minute < 3; minute++) {
				long start = T0.plus(Duration.ofMinutes(minute)).toEpochMilli();
				for (int i = 0; i < WINDOW_KEYS.size(); i++) {
					if (minute <= i % 3) {
						int count = (i + minute) % 4 + 1;
						for (int n = 0; n < count; n++) {
							producer.send(new ProducerRecord<>(topic("events"), null, start + 1000, WINDOW_KEYS.get(i), "x"));
						}
						byKeyAndStart.put(WINDOW_KEYS.get(i) + "@" + start, (long) count);
					}
				}
			}
		}
		for (String key : WINDOW_KEYS) {
			for (int minute = 0; minute < 3; minute++) {
				long start = T0.plus(Duration.ofMinutes(minute)).toEpochMilli();
				Long count = byKeyAndStart.get(key + "@" + start);
				if (count != null) {
					windows.add(new Window(key, start, count));
				}
			}
		}
	}

	/**
	 * Keys -10..10, key k counted |k| % 3 + 1 times, as longs and as integers; and the
	 * untyped keys.
	 */
	private static void produceNumbers() {
		Map<String, Object> config = Map.of("bootstrap.servers", SharedBroker.bootstrapServers());
		try (KafkaProducer<Long, String> longs = new KafkaProducer<>(config, new LongSerializer(),
				new StringSerializer());
				KafkaProducer<Integer, String> ints = new KafkaProducer<>(config, new IntegerSerializer(),
						new StringSerializer())) {
			for (long key = -10; key <= 10; key++) {
				long count = Math.abs(key) % 3 + 1;
				numbers.put(key, count);
				for (int n = 0; n < count; n++) {
					longs.send(new ProducerRecord<>(topic("longs"), key, "x"));
					ints.send(new ProducerRecord<>(topic("ints"), (int) key, "x"));
				}
			}
			UNTYPED.forEach((key, count) -> {
				for (int n = 0; n < count; n++) {
					longs.send(new ProducerRecord<>(topic("untyped"), key, "x"));
				}
			});
		}
	}

	private static String topic(String name) {
		return "answers-" + name + "-" + suffix;
	}

	private static ConfigurableApplicationContext start(Path stateDir) {
		return new SpringApplicationBuilder(AnswersApplication.class)
			.properties("server.port=0", "spring.application.name=answers-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.session.timeout.ms=6000", "tributary.streams.statestore.cache.max.bytes=0",
					"tributary.close-timeout=10s", "tributary.query.advertised-host=localhost",
					"tributary.query.rebalance-timeout=2s", "tributary.query.peer.secret=query-tests-shared-secret-0123",
					"management.endpoints.web.exposure.include=statestores,streams,health",
					"tributary.processors.numbers.stores.long-counts.key-type=long",
					"tributary.processors.numbers.stores.int-counts.key-type=integer",
					"tributary.processors.untyped.properties.default.key.serde="
							+ Serdes.LongSerde.class.getName(),
					"tributary.processors.idle.auto-startup=false")
			.run();
	}

	private static boolean running(ConfigurableApplicationContext context) {
		ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
		return List.of("events", "numbers", "untyped")
			.stream()
			.allMatch((name) -> registry.get(name).state() == State.RUNNING);
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
	 * The counts this instance's active partitions hold, read with Kafka Streams' own
	 * interactive queries; none when it holds no partition of the store.
	 */
	private static Map<Object, Long> localCounts(ConfigurableApplicationContext context, String processor,
			String store) {
		Map<Object, Long> counts = new HashMap<>();
		try {
			ReadOnlyKeyValueStore<Object, Long> local = streams(context, processor)
				.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
			try (KeyValueIterator<Object, Long> all = local.all()) {
				all.forEachRemaining((entry) -> counts.put(entry.key, entry.value));
			}
		}
		catch (InvalidStateStoreException ex) {
			if (activeTasks(context, processor) > 0) {
				throw ex;
			}
		}
		return counts;
	}

	private static List<Window> localWindows(ConfigurableApplicationContext context) {
		List<Window> found = new ArrayList<>();
		ReadOnlyWindowStore<String, Long> local = streams(context, "events")
			.store(StoreQueryParameters.fromNameAndType("windows", QueryableStoreTypes.windowStore()));
		try (KeyValueIterator<Windowed<String>, Long> all = local.fetchAll(T0, T_END)) {
			while (all.hasNext()) {
				KeyValue<Windowed<String>, Long> entry = all.next();
				found.add(new Window(entry.key.key(), entry.key.window().start(), entry.value));
			}
		}
		return found;
	}

	/**
	 * Asserts a 400 whose body names each of {@code names}, in its message or in one of
	 * its lists (such as the valid parameters).
	 */
	private static void assertBadRequestNaming(HttpResponse<String> response, List<String> names) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		Map<String, Object> body = json(response);
		assertThat(body).containsEntry("status", 400);
		assertThat(body.get("error")).isInstanceOf(String.class);
		Set<String> named = new HashSet<>(List.of(((String) body.get("error")).split("[^A-Za-z0-9]+")));
		body.values()
			.stream()
			.filter(List.class::isInstance)
			.flatMap((list) -> ((List<?>) list).stream())
			.map(String::valueOf)
			.forEach(named::add);
		assertThat(named).as("what %s names", response.body()).containsAll(names);
	}

	private static Map<String, Object> json(HttpResponse<String> response) {
		return JsonPath.read(response.body(), "$");
	}

	/**
	 * The page's {@code nextCursor}; {@code null} when it is null or missing.
	 */
	private static String nextCursor(String page) {
		Object cursor = JsonPath.<Map<String, Object>>read(page, "$").get("nextCursor");
		return (cursor != null) ? String.valueOf(cursor) : null;
	}

	private static List<String> keys(String page) {
		return JsonPath.<List<Object>>read(page, "$.entries[*].key").stream().map(String::valueOf).toList();
	}

	private static List<String> numericKeys(long from, long to) {
		return LongStream.rangeClosed(from, to).mapToObj(String::valueOf).toList();
	}

	/**
	 * A JSON number as a {@code long}; anything else as it is, so that a comparison shows
	 * it.
	 */
	private static Object asLong(Object value) {
		return (value instanceof Number number) ? number.longValue() : value;
	}

	private static long number(Object value) {
		assertThat(value).as("a number").isInstanceOf(Number.class);
		return ((Number) value).longValue();
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	private static Set<String> hosts() {
		return Set.of("localhost:" + port(first), "localhost:" + port(second));
	}

	private static String name(ConfigurableApplicationContext context) {
		return (context == first) ? "first instance" : "second instance";
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		URI uri = URI.create("http://localhost:" + port(context) + "/actuator" + path);
		return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Events.class, Numbers.class, Untyped.class, Idle.class })
	static class AnswersApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Numbers.class)
	static class KeyTypeApplication {

	}

	@StreamProcessor("events")
	static class Events {

		private final String suffix;

		Events(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			KGroupedStream<String, String> events = builder
				.stream("answers-events-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.String(), Serdes.String()));
			events.windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
				.count(Materialized.<String, Long, WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("windows")
					.withRetention(Duration.ofDays(1)));
			events.count(Materialized.as("totals"));
		}

	}

	@StreamProcessor("numbers")
	static class Numbers {

		private final String suffix;

		Numbers(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("answers-longs-" + this.suffix, Consumed.with(Serdes.Long(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.Long(), Serdes.String()))
				.count(Materialized.as("long-counts"));
			builder.stream("answers-ints-" + this.suffix, Consumed.with(Serdes.Integer(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.Integer(), Serdes.String()))
				.count(Materialized.as("int-counts"));
		}

	}

	/**
	 * Long keys with no serde in the topology: the processor's {@code default.key.serde}
	 * is the store's.
	 */
	@StreamProcessor("untyped")
	static class Untyped {

		private final String suffix;

		Untyped(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("answers-untyped-" + this.suffix, Consumed.<Long, String>with(null, Serdes.String()))
				.groupByKey()
				.count(Materialized.as("untyped-counts"));
		}

	}

	@StreamProcessor("idle")
	static class Idle {

		private final String suffix;

		Idle(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("answers-idle-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("idle-counts"));
		}

	}

}
