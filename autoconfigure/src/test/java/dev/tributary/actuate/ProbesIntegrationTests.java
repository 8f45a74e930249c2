package dev.tributary.actuate;

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

import com.jayway.jsonpath.JsonPath;
import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateRestoreListener;
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
 * Readiness and liveness probes follow the processors.
 */
class ProbesIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int TABLE_RECORDS = 20_000;

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path firstStateDir;

	@TempDir
	Path secondStateDir;

	@Test
	void readinessStaysDownWhileAStoreRestoresAndComesUpAfter() throws Exception {
		String suffix = SharedBroker.unique("restore");
		SharedBroker.createTopics("table-" + suffix);
		List<String> values = new ArrayList<>();
		for (int i = 0; i < TABLE_RECORDS; i++) {
			values.add("key-" + i);
		}
		SharedBroker.send("table-" + suffix, values);
		// A first run fills the store and its changelog.
		try (ConfigurableApplicationContext context = start(suffix, this.firstStateDir, TableApplication.class)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("table").state() == State.RUNNING
					&& storeSize(registry) == TABLE_RECORDS);
		}
		// A second instance with empty local state must restore the whole changelog; its
		// restore listener holds the restoration after the first batch.
		BlockingRestoreListener.reset();
		try (ConfigurableApplicationContext context = start(suffix, this.secondStateDir, TableApplication.class,
				BlockingRestoreListener.Configuration.class)) {
			String base = base(context);
			assertThat(BlockingRestoreListener.firstBatch.await(60, TimeUnit.SECONDS)).isTrue();

			HttpResponse<String> readiness = get(base + "/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(JsonPath.<String>read(readiness.body(), "$.status")).isEqualTo("OUT_OF_SERVICE");
			assertThat(get(base + "/health/liveness").statusCode()).isEqualTo(200);
			String health = get(base + "/health").body();
			assertThat(JsonPath.<Boolean>read(health, "$.components.streams.details.table.restoring")).isTrue();
			// Partitions report their restore start one by one: the total grows to the full count.
			assertThat(JsonPath.<Integer>read(health, "$.components.streams.details.table.restoration.rows.totalRecords"))
				.isPositive()
				.isLessThanOrEqualTo(TABLE_RECORDS);
			assertThat(JsonPath.<String>read(health, "$.components.streams.status")).isEqualTo("UP");

			BlockingRestoreListener.release.countDown();
			await().atMost(TIMEOUT).until(() -> get(base + "/health/readiness").statusCode() == 200);
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			assertThat(storeSize(registry)).isEqualTo(TABLE_RECORDS);
			assertThat(registry.get("table").restorations()).singleElement().satisfies((restoration) -> {
				assertThat(restoration.restoring()).isFalse();
				assertThat(restoration.restoredRecords()).isEqualTo(TABLE_RECORDS);
				assertThat(restoration.percent()).isEqualTo(100.0);
			});
		}
	}

	@Test
	void livenessBreaksWhenAProcessorDies() throws Exception {
		String suffix = SharedBroker.unique("dies");
		SharedBroker.createTopics("poison-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, this.firstStateDir, PoisonApplication.class,
				"tributary.uncaught-exception-policy=shutdown-client", "tributary.errors.processing=fail")) {
			String base = base(context);
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("poisoned").state() == State.RUNNING);
			assertThat(get(base + "/health/liveness").statusCode()).isEqualTo(200);
			assertThat(get(base + "/health/readiness").statusCode()).isEqualTo(200);

			SharedBroker.send("poison-" + suffix, List.of("poison"));
			await().atMost(TIMEOUT).until(() -> registry.get("poisoned").state() == State.ERROR);

			HttpResponse<String> liveness = get(base + "/health/liveness");
			assertThat(liveness.statusCode()).isEqualTo(503);
			assertThat(JsonPath.<String>read(liveness.body(), "$.status")).isEqualTo("DOWN");
			assertThat(get(base + "/health/readiness").statusCode()).isEqualTo(503);
			String health = get(base + "/health").body();
			assertThat(JsonPath.<String>read(health, "$.components.streams.status")).isEqualTo("DOWN");
			assertThat(JsonPath.<String>read(health, "$.components.streams.details.poisoned.lastError"))
				.contains("poison pill");
		}
	}

	@Test
	void livenessIsUpAndOtherProcessorsRunWhileAGlobalStoreLoadsAtStart() throws Exception {
		String suffix = SharedBroker.unique("global-start");
		SharedBroker.createTopics("rates-" + suffix, "words-" + suffix);
		List<String> rates = new ArrayList<>();
		for (int i = 0; i < 3_000; i++) {
			rates.add("rate-" + i);
		}
		SharedBroker.send("rates-" + suffix, rates);
		// Ten records a batch, each batch slowed down: a load of minutes, as a large table's.
		ConfigurableApplicationContext context = start(suffix, this.firstStateDir, GlobalStartApplication.class,
				SlowRestoreListener.Configuration.class,
				"tributary.processors.rates.properties.global.consumer.max.poll.records=10",
				"tributary.close-timeout=5s");
		try {
			String base = base(context);
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			await().atMost(TIMEOUT).until(() -> registry.get("words").state() == State.RUNNING);
			assertThat(registry.get("rates").isRestoring()).as("global store still loading").isTrue();
			assertThat(registry.get("rates").state()).isNotEqualTo(State.RUNNING);
			assertThat(get(base + "/health/liveness").statusCode()).isEqualTo(200);
			assertThat(get(base + "/health/readiness").statusCode()).isEqualTo(503);
		}
		finally {
			long begin = System.nanoTime();
			context.close();
			// Within the 5 s close timeout and the web server's shutdown.
			assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("context close")
				.isLessThan(Duration.ofSeconds(20));
		}
		// The abandoned load does not run on in the background.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.getName().startsWith("probe-" + suffix + "-rates")
						&& thread.getName().endsWith("-GlobalStreamThread")));
	}

	private ConfigurableApplicationContext start(String suffix, Path stateDir, Class<?> application,
			Object... more) {
		List<Class<?>> sources = new ArrayList<>(List.of(application));
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.application.name=probe-" + suffix,
				"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
				"tributary.streams.state.dir=" + stateDir, "tributary.streams.commit.interval.ms=100",
				"tributary.close-timeout=10s", "management.endpoint.health.show-details=always"));
		for (Object extra : more) {
			if (extra instanceof Class<?> type) {
				sources.add(type);
			}
			else {
				properties.add(extra.toString());
			}
		}
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).properties(properties.toArray(String[]::new))
			.run();
	}

	private static String base(ConfigurableApplicationContext context) {
		return "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator";
	}

	private static long storeSize(ProcessorRegistry registry) {
		try {
			return registry.get("table")
				.kafkaStreams()
				.orElseThrow()
				.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType("rows",
						org.apache.kafka.streams.state.QueryableStoreTypes.keyValueStore()))
				.approximateNumEntries();
		}
		catch (org.apache.kafka.streams.errors.InvalidStateStoreException ex) {
			return -1;
		}
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Table.class)
	static class TableApplication {

	}

	@StreamProcessor("table")
	static class Table {

		private final String suffix;

		Table(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.table("table-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()),
					Materialized.as("rows"));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Poisoned.class)
	static class PoisonApplication {

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

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Rates.class, Words.class })
	static class GlobalStartApplication {

	}

	@StreamProcessor("rates")
	static class Rates {

		private final String suffix;

		Rates(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.globalTable("rates-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()),
					Materialized.as("rates"));
		}

	}

	@StreamProcessor("words")
	static class Words {

		private final String suffix;

		Words(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("words-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.to("words-out-" + this.suffix);
		}

	}

	/**
	 * Slows every restored batch down, as a large store over a slow network would be.
	 */
	static class SlowRestoreListener implements StateRestoreListener {

		private final CountDownLatch never = new CountDownLatch(1);

		@Override
		public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
		}

		@Override
		public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long restored) {
			try {
				this.never.await(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void onRestoreEnd(TopicPartition partition, String store, long total) {
		}

		@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
		static class Configuration {

			@Bean
			SlowRestoreListener slowRestoreListener() {
				return new SlowRestoreListener();
			}

		}

	}

	/**
	 * Holds the restoration after its first batch until the test has looked.
	 */
	static class BlockingRestoreListener implements StateRestoreListener {

		static volatile CountDownLatch firstBatch = new CountDownLatch(1);

		static volatile CountDownLatch release = new CountDownLatch(1);

		static void reset() {
			firstBatch = new CountDownLatch(1);
			release = new CountDownLatch(1);
		}

		@Override
		public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
		}

		@Override
		public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long restored) {
			firstBatch.countDown();
			try {
				release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void onRestoreEnd(TopicPartition partition, String store, long total) {
		}

		@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
		static class Configuration {

			@Bean
			BlockingRestoreListener blockingRestoreListener() {
				return new BlockingRestoreListener();
			}

		}

	}

}
