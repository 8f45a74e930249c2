package dev.tributary.query;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.query.peer.PeerSigner;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
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
 * Two instances of one application with {@code long} keys in two partitions, both active
 * on the first instance: the second holds standbys only and answers by forwarding. The
 * first advertises a relay in front of it, so a test can make a forwarded query land on
 * an instance that does not hold the key's partition, as after a rebalance the sender
 * has not heard of yet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryRoutingIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int KEYS = 20;

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();



	private static final Map<Long, Long> expected = new TreeMap<>();

	private static final AtomicInteger relayTarget = new AtomicInteger();

	private static HttpServer relay;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@TempDir
	static Path firstState;

	@TempDir
	static Path secondState;

	@BeforeAll
	static void startTwoInstances() throws Exception {
		String suffix = SharedBroker.unique("route");
		SharedBroker.broker().createTopics(List.of("route-numbers-" + suffix), 2);
		try (KafkaProducer<Long, String> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedBroker.bootstrapServers()), new LongSerializer(),
				new StringSerializer())) {
			for (long key = 1; key <= KEYS; key++) {
				long count = key % 3 + 1;
				expected.put(key, count);
				for (int n = 0; n < count; n++) {
					producer.send(new ProducerRecord<>("route-numbers-" + suffix, key, "x"));
				}
			}
		}
		relay = startRelay();
		first = start(suffix, firstState,
				"tributary.streams.application.server=localhost:" + relay.getAddress().getPort());
		relayTarget.set(port(first));
		// Every count is in the first instance before the second joins: the first is the
		// only caught-up client and keeps both active tasks.
		StateStoreQueryService queries = first.getBean(StateStoreQueryService.class);
		await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
			for (Map.Entry<Long, Long> entry : expected.entrySet()) {
				assertThat(queries.get("numbers", "counts", entry.getKey()).value(Long.class))
					.isEqualTo(entry.getValue());
			}
		});
		second = start(suffix, secondState);
		for (ConfigurableApplicationContext context : List.of(first, second)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("numbers").state() == State.RUNNING
					&& !threads(context).isEmpty()
					&& threads(context).stream().allMatch((thread) -> "RUNNING".equals(thread.threadState())));
		}
		assertThat(threads(second)).allSatisfy((thread) -> assertThat(thread.activeTasks()).isEmpty());
		assertThat(threads(second)).anySatisfy((thread) -> assertThat(thread.standbyTasks()).isNotEmpty());
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { second, first }) {
			if (context != null) {
				context.close();
			}
		}
		if (relay != null) {
			relay.stop(0);
		}
	}

	@Test
	@Order(1)
	void anInstanceWithStandbysOnlyAnswersEveryKeyThroughTheOwner() throws Exception {
		// The key type is configured: every key is routed to the right partition and
		// answered.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (Map.Entry<Long, Long> entry : expected.entrySet()) {
				HttpResponse<String> response = get(second, "/statestores/numbers/counts?key=" + entry.getKey());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				assertThat(JsonPath.<Integer>read(response.body(), "$.value")).isEqualTo(entry.getValue().intValue());
			}
		});
		HttpResponse<String> all = get(second, "/statestores/numbers/counts?limit=50");
		assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
		assertThat(JsonPath.<String>read(all.body(), "$.keyType")).isEqualTo("long");
		assertThat(JsonPath.<List<String>>read(all.body(), "$.entries[*].key"))
			.containsExactlyElementsOf(expected.keySet().stream().map(String::valueOf).toList());
	}

	@Test
	@Order(2)
	void aForwardedKeyQueryReachingAnInstanceWithoutItsPartitionIsRetriedNotAnsweredNotFound() throws Exception {
		// The first instance's address now leads to the second, which holds the key's
		// partition as a standby only: it must say 503 (retry with fresh metadata), not
		// 404 (the key does not exist).
		relayTarget.set(port(second));
		try {
			HttpResponse<String> response = get(second, "/statestores/numbers/counts?key=1");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		}
		finally {
			relayTarget.set(port(first));
		}
		assertThat(get(second, "/statestores/numbers/counts?key=1").statusCode()).isEqualTo(200);
	}

	private static List<ThreadMetadata> threads(ConfigurableApplicationContext context) {
		KafkaStreams streams = context.getBean(ProcessorRegistry.class).get("numbers").kafkaStreams().orElseThrow();
		return new ArrayList<>(streams.metadataForLocalThreads());
	}

	/**
	 * Relays every request to the port in {@link #relayTarget}.
	 */
	private static HttpServer startRelay() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		server.createContext("/", (exchange) -> {
			try {
				URI target = URI.create("http://localhost:" + relayTarget.get() + exchange.getRequestURI());
				byte[] body = exchange.getRequestBody().readAllBytes();
				HttpRequest.Builder request = HttpRequest.newBuilder(target)
					.method(exchange.getRequestMethod(), (body.length > 0) ? HttpRequest.BodyPublishers.ofByteArray(body)
							: HttpRequest.BodyPublishers.noBody());
				for (String header : List.of("Content-Type", PeerSigner.TIMESTAMP_HEADER, PeerSigner.SIGNATURE_HEADER)) {
					String value = exchange.getRequestHeaders().getFirst(header);
					if (value != null) {
						request.header(header, value);
					}
				}
				HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
				for (String header : List.of("Content-Type", PeerSigner.SIGNATURE_HEADER)) {
					response.headers()
						.firstValue(header)
						.ifPresent((value) -> exchange.getResponseHeaders().set(header, value));
				}
				exchange.sendResponseHeaders(response.statusCode(), response.body().length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(response.body());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				exchange.sendResponseHeaders(502, -1);
			}
			finally {
				exchange.close();
			}
		});
		server.start();
		return server;
	}

	private static ConfigurableApplicationContext start(String suffix, Path stateDir, String... more) {
		return new SpringApplicationBuilder(RoutingApplication.class)
			.properties("server.port=0", "spring.application.name=route-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.streams.num.standby.replicas=1", "tributary.streams.acceptable.recovery.lag=0",
					"tributary.streams.statestore.cache.max.bytes=0", "tributary.close-timeout=10s",
					"tributary.query.advertised-host=localhost", "tributary.query.rebalance-timeout=2s",
					"tributary.query.peer.secret=query-tests-shared-secret-0123",
					"management.endpoints.web.exposure.include=health,statestores",
					"tributary.processors.numbers.stores.counts.key-type=long")
			.properties(more)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		URI uri = URI.create("http://localhost:" + port(context) + "/actuator" + path);
		return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Numbers.class)
	static class RoutingApplication {

	}

	@StreamProcessor("numbers")
	static class Numbers {

		private final String suffix;

		Numbers(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("route-numbers-" + this.suffix, Consumed.with(Serdes.Long(), Serdes.String()))
				.groupByKey(Grouped.with(Serdes.Long(), Serdes.String()))
				.count(Materialized.as("counts"));
		}

	}

}
