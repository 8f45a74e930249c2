package dev.tributary.async;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import dev.tributary.SharedBroker;
import dev.tributary.errors.DeadLetterHeaders;
import dev.tributary.StreamProcessor;
import dev.tributary.actuate.StreamsHealthIndicator;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static dev.tributary.SharedBroker.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Async steps against a real broker: key order, calls in flight beyond the partition
 * count, no rebalance while calls outlast the poll interval, failures where the error
 * choice says.
 */
class AsyncStepIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);

	/** The call each test makes the step do: (key, value) -> result, later. */
	static volatile BiFunction<String, String, CompletableFuture<String>> service;

	@TempDir
	Path stateDir;

	@AfterAll
	static void stopClock() {
		clock.shutdownNow();
	}

	@Test
	void eachKeysResultsComeInItsInputOrderWithRandomLatencies() {
		service = (key, value) -> later(ThreadLocalRandom.current().nextInt(51), value + ":done");
		String suffix = SharedBroker.unique("order");
		SharedBroker.broker().createTopics(List.of("in-" + suffix), 4);
		try (ConfigurableApplicationContext context = start(suffix,
				"tributary.processors.enricher.async.enrich.max-in-flight=2000")) {
			awaitRunning(context);
			int keys = 1000;
			int perKey = 50;
			List<String[]> records = new ArrayList<>();
			for (int seq = 0; seq < perKey; seq++) {
				for (int key = 0; key < keys; key++) {
					records.add(new String[] { "k" + key, "k" + key + "#" + seq });
				}
			}
			send("in-" + suffix, records);
			List<ConsumerRecord<String, byte[]>> output = SharedBroker.read("out-" + suffix, new ByteArrayDeserializer(),
					keys * perKey, TIMEOUT);
			assertThat(output).hasSize(keys * perKey);
			Map<String, List<Integer>> sequences = new HashMap<>();
			for (ConsumerRecord<String, byte[]> record : output) {
				String value = new String(record.value(), StandardCharsets.UTF_8);
				assertThat(value).startsWith(record.key() + "#").endsWith(":done");
				int seq = Integer.parseInt(value.substring(value.indexOf('#') + 1, value.indexOf(':')));
				sequences.computeIfAbsent(record.key(), (k) -> new ArrayList<>()).add(seq);
			}
			assertThat(sequences).hasSize(keys);
			List<Integer> expected = java.util.stream.IntStream.range(0, perKey).boxed().toList();
			assertThat(sequences).allSatisfy((key, seqs) -> assertThat(seqs).as(key).containsExactlyElementsOf(expected));
			AsyncStepStats stats = stats(context);
			assertThat(stats.succeeded()).isEqualTo(keys * perKey);
			assertThat(stats.failed()).isZero();
		}
	}

	@Test
	void thousandsOfCallsAreInFlightOnOnePartition() {
		Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
		service = (key, value) -> pending.computeIfAbsent(key, (k) -> new CompletableFuture<>())
			.thenApply((ignored) -> value + ":done");
		String suffix = SharedBroker.unique("parallel");
		SharedBroker.broker().createTopics(List.of("in-" + suffix), 1);
		try (ConfigurableApplicationContext context = start(suffix,
				"tributary.processors.enricher.async.enrich.max-in-flight=3000")) {
			awaitRunning(context);
			List<String[]> records = new ArrayList<>();
			for (int key = 0; key < 3000; key++) {
				records.add(new String[] { "k" + key, "v" + key });
			}
			send("in-" + suffix, records);
			AsyncStepStats stats = stats(context);
			await().atMost(TIMEOUT).until(() -> pending.size() == 3000 && stats.inFlight() == 3000);
			pending.values().forEach((call) -> call.complete("ok"));
			assertThat(SharedBroker.read("out-" + suffix, new ByteArrayDeserializer(), 3000, TIMEOUT)).hasSize(3000);
		}
	}

	@Test
	void callsThatOutlastThePollIntervalDoNotRebalanceAndOtherKeysKeepFlowing() throws Exception {
		CompletableFuture<Void> slowCallsMayFinish = new CompletableFuture<>();
		AtomicInteger slowStarted = new AtomicInteger();
		service = (key, value) -> {
			if (key.startsWith("slow")) {
				slowStarted.incrementAndGet();
				return slowCallsMayFinish.thenApply((ignored) -> value + ":done");
			}
			return later(1, value + ":done");
		};
		String suffix = SharedBroker.unique("slow");
		SharedBroker.broker().createTopics(List.of("in-" + suffix), 2);
		// The issue's scenario: calls of 60 s with max.poll.interval.ms at 20 s.
		try (ConfigurableApplicationContext context = start(suffix, "tributary.streams.max.poll.interval.ms=20000",
				"tributary.processors.enricher.async.enrich.timeout=90s");
				KafkaConsumer<String, String> output = outputConsumer("out-" + suffix);
				Admin admin = Admin.create(Map.of("bootstrap.servers", SharedBroker.bootstrapServers()))) {
			awaitRunning(context);
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			AsyncStepStats stats = stats(context);
			String workerGroup = "async-test-" + suffix + "-enricher-enrich-worker";
			await().atMost(TIMEOUT).until(() -> stats.assignments() > 0 && members(admin, workerGroup).size() == 1);
			long assignmentsBefore = stats.assignments();
			Set<String> membersBefore = members(admin, workerGroup);
			send("in-" + suffix, List.<String[]>of(new String[] { "slow-1", "s1" }, new String[] { "slow-2", "s2" }));
			await().atMost(TIMEOUT).until(() -> slowStarted.get() == 2);
			long slowSince = System.nanoTime();
			List<String> results = new ArrayList<>();
			int fastRounds = 0;
			// Other keys flow through while the slow calls wait, for three poll intervals.
			while (System.nanoTime() - slowSince < Duration.ofSeconds(60).toNanos()) {
				String round = "fast-" + fastRounds++;
				send("in-" + suffix, List.<String[]>of(new String[] { round, round }));
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (!results.contains(round + ":done") && System.nanoTime() < deadline) {
					output.poll(Duration.ofMillis(200)).forEach((record) -> results.add(record.value()));
				}
				assertThat(results).as("a fast key's result while the slow calls wait").contains(round + ":done");
				assertThat(registry.get("enricher").state()).as("no rebalance of the processor").isEqualTo(State.RUNNING);
			}
			assertThat(fastRounds).isGreaterThan(5);
			slowCallsMayFinish.complete(null);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!results.containsAll(List.of("s1:done", "s2:done")) && System.nanoTime() < deadline) {
				output.poll(Duration.ofMillis(200)).forEach((record) -> results.add(record.value()));
			}
			assertThat(results).contains("s1:done", "s2:done");
			assertThat(stats.assignments()).as("no rebalance of the step's group").isEqualTo(assignmentsBefore);
			assertThat(members(admin, workerGroup)).as("the same member, never left the group").isEqualTo(membersBefore);
		}
	}

	private static KafkaConsumer<String, String> outputConsumer(String topic) {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of("bootstrap.servers", SharedBroker.bootstrapServers(), "group.id", "test-" + topic,
						"auto.offset.reset", "earliest"),
				new StringDeserializer(), new StringDeserializer());
		consumer.subscribe(List.of(topic));
		return consumer;
	}

	private static Set<String> members(Admin admin, String group) throws Exception {
		return admin.describeConsumerGroups(List.of(group))
			.all()
			.get(10, TimeUnit.SECONDS)
			.get(group)
			.members()
			.stream()
			.map(org.apache.kafka.clients.admin.MemberDescription::consumerId)
			.collect(java.util.stream.Collectors.toSet());
	}

	@Test
	void failedAndTimedOutCallsAreRetriedThenDeadLetteredWithTheOriginalRecord() {
		Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
		service = (key, value) -> {
			int attempt = attempts.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
			if (key.equals("flaky") && attempt == 1) {
				return CompletableFuture.failedFuture(new IllegalStateException("flaky once"));
			}
			if (key.equals("broken")) {
				return CompletableFuture.failedFuture(new IllegalStateException("always broken"));
			}
			if (key.equals("hangs")) {
				return new CompletableFuture<>();
			}
			return later(1, value + ":done");
		};
		String suffix = SharedBroker.unique("fail");
		SharedBroker.broker().createTopics(List.of("in-" + suffix), 1);
		try (ConfigurableApplicationContext context = start(suffix,
				"tributary.processors.enricher.async.enrich.timeout=500ms",
				"tributary.processors.enricher.async.enrich.retries=1",
				"tributary.processors.enricher.async.enrich.backoff=10ms")) {
			awaitRunning(context);
			send("in-" + suffix, List.<String[]>of(new String[] { "ok", "a" }, new String[] { "flaky", "b" },
					new String[] { "broken", "c" }, new String[] { "hangs", "d" }, new String[] { "ok", "e" }));
			assertThat(readValues("out-" + suffix, 3)).containsExactlyInAnyOrder("a:done", "b:done", "e:done");
			String dlq = "async-test-" + suffix + "-enricher-dlq";
			List<ConsumerRecord<String, byte[]>> deadLetters = SharedBroker.read(dlq, new ByteArrayDeserializer(), 2,
					TIMEOUT);
			assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("broken", "hangs");
			assertThat(deadLetters).allSatisfy((record) -> {
				assertThat(header(record, AsyncStepWorker.STEP_HEADER)).isEqualTo("enrich");
				assertThat(header(record, DeadLetterHeaders.PROCESSOR)).isEqualTo("enricher");
				assertThat(header(record, DeadLetterHeaders.TOPIC))
					.isEqualTo("async-test-" + suffix + "-enricher-enrich-requests");
			});
			Map<String, String> byKey = new LinkedHashMap<>();
			deadLetters.forEach((record) -> byKey.put(record.key(), new String(record.value(), StandardCharsets.UTF_8)
					+ "|" + header(record, DeadLetterHeaders.EXCEPTION)));
			assertThat(byKey).containsEntry("broken", "c|java.lang.IllegalStateException")
				.containsEntry("hangs", "d|java.util.concurrent.TimeoutException");
			AsyncStepStats stats = stats(context);
			assertThat(stats.succeeded()).isEqualTo(3);
			assertThat(stats.retries()).isEqualTo(3);
			assertThat(stats.failed()).isEqualTo(5);
			assertThat(stats.timedOut()).isEqualTo(2);
			assertThat(stats.deadLettered()).isEqualTo(2);
			assertThat(attempts.get("broken")).hasValue(2);
			assertThat(context.getBean(ProcessorRegistry.class).get("enricher").isFailed()).isFalse();
			assertThat(context.getBean(StreamsHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UP);
		}
	}

	@Test
	void aFinalFailureWithFailStopsTheStepAndTheProcessorIsDown() {
		service = (key, value) -> CompletableFuture.failedFuture(new IllegalStateException("down for good"));
		String suffix = SharedBroker.unique("stop");
		SharedBroker.broker().createTopics(List.of("in-" + suffix), 1);
		try (ConfigurableApplicationContext context = start(suffix, "tributary.errors.processing=fail",
				"tributary.processors.enricher.async.enrich.retries=0")) {
			awaitRunning(context);
			send("in-" + suffix, List.<String[]>of(new String[] { "k", "v" }));
			AsyncStepStats stats = stats(context);
			await().atMost(TIMEOUT).until(() -> stats.failure() != null);
			assertThat(stats.isRunning()).isFalse();
			assertThat(stats.failure()).hasMessageContaining("enrich").hasMessageContaining("down for good");
			assertThat(context.getBean(ProcessorRegistry.class).get("enricher").isFailed()).isTrue();
			assertThat(context.getBean(StreamsHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.DOWN);
		}
	}

	@Test
	void aStalledServiceFillsTheBoundThenPartitionsArePausedWhilePollingGoesOn() {
		service = (key, value) -> new CompletableFuture<>();
		String suffix = SharedBroker.unique("stalled");
		SharedBroker.broker().createTopics(List.of("in-" + suffix), 2);
		try (ConfigurableApplicationContext context = start(suffix,
				"tributary.processors.enricher.async.enrich.max-in-flight=50",
				"tributary.processors.enricher.async.enrich.max-buffered-records=400",
				"tributary.processors.enricher.async.enrich.timeout=5m")) {
			awaitRunning(context);
			AsyncStepStats stats = stats(context);
			await().atMost(TIMEOUT).until(() -> stats.assignments() > 0);
			long assignments = stats.assignments();
			List<String[]> records = new ArrayList<>();
			for (int key = 0; key < 5000; key++) {
				records.add(new String[] { "k" + key, "v" + key });
			}
			send("in-" + suffix, records);
			await().atMost(TIMEOUT).until(() -> stats.pausedPartitions() == 2);
			int maxBuffered = 0;
			long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			while (System.nanoTime() < until) {
				maxBuffered = Math.max(maxBuffered, stats.buffered());
				assertThat(stats.inFlight()).isLessThanOrEqualTo(50);
				await().pollDelay(Duration.ofMillis(20)).until(() -> true);
			}
			assertThat(maxBuffered).as("records held at most").isGreaterThan(50).isLessThanOrEqualTo(400);
			assertThat(stats.inFlight()).isEqualTo(50);
			assertThat(stats.assignments()).as("still a member, no rebalance").isEqualTo(assignments);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("tributary.async.in.flight").tags("processor", "enricher", "step", "enrich").gauge()
				.value()).isEqualTo(50);
			assertThat(meters.get("tributary.async.paused.partitions").tags("step", "enrich").gauge().value())
				.isEqualTo(2);
			@SuppressWarnings("unchecked")
			Map<String, Object> details = (Map<String, Object>) context.getBean(StreamsHealthIndicator.class)
				.health(true)
				.getDetails()
				.get("enricher");
			assertThat(details.get("asyncSteps")).asList().singleElement().satisfies((step) -> assertThat(
					(Map<String, Object>) step).containsEntry("step", "enrich").containsEntry("inFlight", 50)
				.containsEntry("pausedPartitions", 2));
		}
	}

	@Test
	void pausingTheProcessorPausesItsStepAndResumingCarriesOn() {
		service = (key, value) -> later(1, value + ":done");
		String suffix = SharedBroker.unique("pause");
		SharedBroker.broker().createTopics(List.of("in-" + suffix), 1);
		try (ConfigurableApplicationContext context = start(suffix)) {
			awaitRunning(context);
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			AsyncStepStats stats = stats(context);
			send("in-" + suffix, List.<String[]>of(new String[] { "a", "1" }));
			assertThat(readValues("out-" + suffix, 1)).containsExactly("1:done");
			registry.get("enricher").pause();
			await().atMost(TIMEOUT).until(() -> stats.pausedPartitions() == 1);
			long succeeded = stats.succeeded();
			send("in-" + suffix, List.<String[]>of(new String[] { "b", "2" }));
			await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
			assertThat(stats.succeeded()).as("no call while paused").isEqualTo(succeeded);
			registry.get("enricher").resume();
			assertThat(readValues("out-" + suffix, 2)).containsExactly("1:done", "2:done");
		}
	}

	@Test
	void anUnknownStepOrAnOptionOutOfRangeFailsStartUpNamingTheKey() {
		service = (key, value) -> later(1, value);
		String suffix = SharedBroker.unique("config");
		SharedBroker.broker().createTopics(List.of("in-" + suffix), 1);
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start(suffix, "tributary.processors.enricher.async.enrichh.max-in-flight=5").close())
			.satisfies((ex) -> assertThat(rootMessages(ex)).contains("'tributary.processors.enricher.async.enrichh'")
				.contains("its steps are [enrich]"));
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start(suffix, "tributary.processors.enricher.async.enrich.max-in-flight=0").close())
			.satisfies((ex) -> assertThat(rootMessages(ex))
				.contains("'tributary.processors.enricher.async.enrich.max-in-flight' must be at least 1, was 0"));
	}

	private static String rootMessages(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	private static CompletableFuture<String> later(long millis, String result) {
		CompletableFuture<String> future = new CompletableFuture<>();
		clock.schedule(() -> future.complete(result), millis, TimeUnit.MILLISECONDS);
		return future;
	}

	private static AsyncStepStats stats(ConfigurableApplicationContext context) {
		List<AsyncStepStats> stats = context.getBean(AsyncStepWorkers.class).stats("enricher");
		assertThat(stats).hasSize(1);
		return stats.get(0);
	}

	private static void awaitRunning(ConfigurableApplicationContext context) {
		ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
		await().atMost(TIMEOUT).until(() -> registry.get("enricher").state() == State.RUNNING);
	}

	private static List<String> readValues(String topic, int expected) {
		return SharedBroker.read(topic, new StringDeserializer(), expected, Duration.ofSeconds(5))
			.stream()
			.map(ConsumerRecord::value)
			.toList();
	}

	private static void send(String topic, List<String[]> records) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", SharedBroker.bootstrapServers(), "linger.ms", 5), new StringSerializer(),
				new StringSerializer())) {
			for (String[] record : records) {
				producer.send(new ProducerRecord<>(topic, record[0], record[1]));
			}
		}
	}

	private ConfigurableApplicationContext start(String suffix, String... properties) {
		return SharedBroker.startApplication(AsyncApplication.class, "async-test-" + suffix, suffix, this.stateDir,
				properties);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Enricher.class)
	static class AsyncApplication {

	}

	@StreamProcessor("enricher")
	static class Enricher {

		private final String suffix;

		Enricher(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder, AsyncSteps async) {
			KStream<String, String> in = builder.stream("in-" + this.suffix,
					Consumed.with(Serdes.String(), Serdes.String()));
			async
				.mapValues(in,
						AsyncStep.<String, String, String>call("enrich", (key, value) -> service.apply(key, value))
							.withSerdes(Serdes.String(), Serdes.String(), Serdes.String()))
				.to("out-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

}
