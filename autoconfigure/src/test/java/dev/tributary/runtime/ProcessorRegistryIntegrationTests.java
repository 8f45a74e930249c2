package dev.tributary.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Processors running against a real in-process broker.
 */
class ProcessorRegistryIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path stateDir;

	@Test
	void runsTwoProcessorsSideBySideEachWithItsOwnApplicationId() throws Exception {
		String suffix = SharedBroker.unique("side");
		SharedBroker.createTopics("lines-" + suffix, "shouts-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, TwoProcessors.class)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "word-count", "shout");
			SharedBroker.send("lines-" + suffix, List.of("a b", "b c", "c"));
			SharedBroker.send("shouts-" + suffix, List.of("hello", "world"));

			assertThat(SharedBroker.latestValues("counts-" + suffix, new LongDeserializer(),
					Map.of("a", 1L, "b", 2L, "c", 2L), TIMEOUT))
				.containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "b", 2L, "c", 2L));
			assertThat(SharedBroker.read("shouted-" + suffix, new StringDeserializer(), 2, TIMEOUT))
				.extracting((record) -> record.value())
				.containsExactlyInAnyOrder("HELLO", "WORLD");
			assertThat(consumerGroups()).contains("itest-" + suffix + "-word-count", "itest-" + suffix + "-shout");
		}
	}

	@Test
	void stopsAndStartsOneProcessorWhileTheOtherKeepsRunning() {
		String suffix = SharedBroker.unique("stop");
		SharedBroker.createTopics("lines-" + suffix, "shouts-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, TwoProcessors.class)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "word-count", "shout");

			registry.stop("shout");
			assertThat(registry.get("shout").state()).isEqualTo(State.NOT_RUNNING);
			assertThat(registry.get("shout").isStarted()).isFalse();
			assertThat(registry.get("shout").isFailed()).isFalse();
			assertThat(registry.get("shout").kafkaStreams()).isEmpty();

			SharedBroker.send("shouts-" + suffix, List.of("while", "stopped"));
			SharedBroker.send("lines-" + suffix, List.of("x y x"));
			assertThat(SharedBroker.latestValues("counts-" + suffix, new LongDeserializer(), Map.of("x", 2L), TIMEOUT))
				.containsEntry("x", 2L);
			assertThat(registry.get("word-count").state()).isEqualTo(State.RUNNING);
			assertThat(SharedBroker.read("shouted-" + suffix, new StringDeserializer(), 1, Duration.ofSeconds(2)))
				.isEmpty();

			registry.start("shout");
			awaitRunning(registry, "shout");
			assertThat(SharedBroker.read("shouted-" + suffix, new StringDeserializer(), 2, TIMEOUT))
				.extracting((record) -> record.value())
				.containsExactlyInAnyOrder("WHILE", "STOPPED");
		}
	}

	@Test
	void resumesFromCommittedOffsetsAfterAGracefulRestart() {
		String suffix = SharedBroker.unique("restart");
		SharedBroker.createTopics("lines-" + suffix, "shouts-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, TwoProcessors.class)) {
			awaitRunning(context.getBean(ProcessorRegistry.class), "word-count");
			SharedBroker.send("lines-" + suffix, List.of("red green", "red"));
			assertThat(SharedBroker.latestValues("counts-" + suffix, new LongDeserializer(),
					Map.of("red", 2L, "green", 1L), TIMEOUT))
				.containsEntry("red", 2L);
		}
		// Records produced while the application is down are picked up after the restart.
		SharedBroker.send("lines-" + suffix, List.of("red blue"));
		try (ConfigurableApplicationContext context = start(suffix, TwoProcessors.class)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "word-count");
			SharedBroker.send("lines-" + suffix, List.of("green"));
			Map<String, Long> expected = Map.of("red", 3L, "green", 2L, "blue", 1L);
			assertThat(SharedBroker.latestValues("counts-" + suffix, new LongDeserializer(), expected, TIMEOUT))
				.containsExactlyInAnyOrderEntriesOf(expected);
			// The store agrees: nothing was counted twice.
			ReadOnlyKeyValueStore<String, Long> store = registry.get("word-count")
				.kafkaStreams()
				.orElseThrow()
				.store(StoreQueryParameters.fromNameAndType("word-counts", QueryableStoreTypes.keyValueStore()));
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Map.of("red", store.get("red"), "green",
					store.get("green"), "blue", store.get("blue"))).isEqualTo(expected));
		}
	}

	@Test
	void replacesADeadStreamThreadByDefaultAndKeepsProcessing() {
		String suffix = SharedBroker.unique("replace");
		SharedBroker.createTopics("in-" + suffix);
		// 'fail': the exception kills the stream thread instead of going to the dead-letter topic
		try (ConfigurableApplicationContext context = start(suffix, FailsOnce.class,
				"tributary.errors.processing=fail")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "fails-once");
			SharedBroker.send("in-" + suffix, List.of("one", "boom", "two"));
			assertThat(SharedBroker.read("out-" + suffix, new StringDeserializer(), 3, TIMEOUT))
				.extracting((record) -> record.value())
				.contains("one", "boom", "two");
			ManagedProcessor processor = registry.get("fails-once");
			assertThat(processor.lastUncaughtException()).get()
				.satisfies((ex) -> assertThat(ex).hasRootCauseMessage("boom"));
			await().atMost(TIMEOUT).until(() -> processor.state() == State.RUNNING);
			assertThat(processor.isFailed()).isFalse();
		}
	}

	@Test
	void shutdownClientPolicyLeavesTheProcessorFailedAndHealthDown() {
		String suffix = SharedBroker.unique("fail");
		SharedBroker.createTopics("in-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, FailsOnce.class,
				"tributary.processors.fails-once.uncaught-exception-policy=shutdown-client",
				"tributary.errors.processing=fail")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "fails-once");
			SharedBroker.send("in-" + suffix, List.of("boom"));
			ManagedProcessor processor = registry.get("fails-once");
			await().atMost(TIMEOUT).until(() -> processor.state() == State.ERROR);
			assertThat(processor.isFailed()).isTrue();
			assertThat(processor.isStarted()).isTrue();

			Health health = context.getBean(dev.tributary.actuate.StreamsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			@SuppressWarnings("unchecked")
			Map<String, Object> details = (Map<String, Object>) health.getDetails().get("fails-once");
			assertThat(details).containsEntry("state", "ERROR");
			assertThat((String) details.get("lastError")).contains("boom");

			// Starting a failed processor again replaces its KafkaStreams.
			registry.start("fails-once");
			awaitRunning(registry, "fails-once");
			assertThat(context.getBean(dev.tributary.actuate.StreamsHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.UP);
		}
	}

	@Test
	void autoStartupFalseProcessorsStartThroughTheRegistry() {
		String suffix = SharedBroker.unique("manual");
		SharedBroker.createTopics("lines-" + suffix, "shouts-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, TwoProcessors.class,
				"tributary.processors.shout.auto-startup=false")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "word-count");
			assertThat(registry.get("shout").kafkaStreams()).isEmpty();
			assertThat(registry.get("shout").isFailed()).isFalse();
			registry.start("shout");
			awaitRunning(registry, "shout");
			SharedBroker.send("shouts-" + suffix, List.of("late"));
			assertThat(SharedBroker.read("shouted-" + suffix, new StringDeserializer(), 1, TIMEOUT))
				.extracting((record) -> record.value())
				.containsExactly("LATE");
		}
	}

	@Test
	void aProcessorThatFailsToStartStopsTheOnesStartedBeforeIt() {
		String suffix = SharedBroker.unique("partial");
		SharedBroker.createTopics("shouts-" + suffix, "breakable-in-" + suffix);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> start(suffix, ShoutThenBreakable.class, "test.break-on-start=true").close());
		// 'shout' started first; its stream threads must not outlive the failed context.
		await().atMost(TIMEOUT)
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.getName().startsWith("itest-" + suffix + "-shout")));
	}

	@Test
	void aRestartThatFailsLeavesTheProcessorReportedFailedNotStopped() {
		String suffix = SharedBroker.unique("restart");
		SharedBroker.createTopics("shouts-" + suffix, "breakable-in-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, ShoutThenBreakable.class)) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "breakable");
			context.getBean(Breakable.class).breakBuilds.set(true);
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> registry.get("breakable").restart(false));
			assertThat(registry.get("breakable").isStarted()).isTrue();
			assertThat(registry.get("breakable").isFailed()).isTrue();
		}
	}

	@Test
	void aProcessorWhosePreviousInstanceIsStillClosingDoesNotStartBesideIt() {
		String suffix = SharedBroker.unique("closing");
		SharedBroker.createTopics("slow-in-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, Slow.class, "tributary.close-timeout=1s")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "slow");
			Slow slow = context.getBean(Slow.class);
			SharedBroker.send("slow-in-" + suffix, List.of("v"));
			await().atMost(TIMEOUT).until(() -> slow.entered.getCount() == 0);
			// The stream thread is stuck in the record: the close times out.
			registry.stop("slow");
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> registry.start("slow"))
				.withMessageContaining("still shutting down");
			slow.release.countDown();
			// Awaitility retries only on assertion errors: the refusal is an IllegalStateException.
			await().atMost(TIMEOUT)
				.ignoreExceptionsInstanceOf(IllegalStateException.class)
				.untilAsserted(() -> registry.start("slow"));
			awaitRunning(registry, "slow");
		}
	}

	@Test
	void aStopDoesNotQueueBehindAGlobalStoreThatIsStillLoading() throws Exception {
		String suffix = SharedBroker.unique("global-load");
		SharedBroker.createTopics("rates-" + suffix);
		SharedBroker.send("rates-" + suffix, List.of("eur", "usd"));
		try (ConfigurableApplicationContext context = start(suffix, GlobalLoad.class,
				"tributary.processors.global-load.auto-startup=false", "tributary.close-timeout=2s")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			HoldingRestoreListener restore = context.getBean(HoldingRestoreListener.class);
			// KafkaStreams.start() waits for the global store, which the listener holds open.
			CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> registry.start("global-load"));
			await().atMost(TIMEOUT).until(() -> restore.started.getCount() == 0);
			KafkaStreams loading = registry.get("global-load").kafkaStreams().orElseThrow();
			// Without the interrupt the stop would wait for the release below.
			CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS).execute(restore.release::countDown);
			long begin = System.nanoTime();
			registry.stop("global-load");
			assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(20));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> starting.get(10, TimeUnit.SECONDS))
				.withMessageContaining("stopped while it was starting");
			assertThat(registry.get("global-load").isStarted()).isFalse();
			// The instance that did not close in time finishes once the store is let go.
			restore.release.countDown();
			await().atMost(TIMEOUT).until(() -> loading.state() == State.NOT_RUNNING || loading.state() == State.ERROR);
		}
	}

	@Test
	void aRestartOrAStartDoesNotQueueBehindAGlobalStoreThatIsStillLoading() throws Exception {
		String suffix = SharedBroker.unique("global-restart");
		SharedBroker.createTopics("rates-" + suffix);
		SharedBroker.send("rates-" + suffix, List.of("eur", "usd"));
		try (ConfigurableApplicationContext context = start(suffix, GlobalLoad.class,
				"tributary.processors.global-load.auto-startup=false", "tributary.close-timeout=2s")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			HoldingRestoreListener restore = context.getBean(HoldingRestoreListener.class);
			CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> registry.start("global-load"));
			await().atMost(TIMEOUT).until(() -> restore.started.getCount() == 0);
			KafkaStreams loading = registry.get("global-load").kafkaStreams().orElseThrow();
			CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS).execute(restore.release::countDown);
			// A second start while the first is loading returns at once.
			long begin = System.nanoTime();
			registry.start("global-load");
			assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
			// A restart stops the loading start instead of waiting for it; the instance still
			// holding the store is not closed yet, so the new start is refused (a 409).
			begin = System.nanoTime();
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> registry.get("global-load").restart(false))
				.withMessageContaining("still shutting down");
			assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(20));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> starting.get(10, TimeUnit.SECONDS))
				.withMessageContaining("stopped while it was starting");
			restore.release.countDown();
			await().atMost(TIMEOUT).until(() -> loading.state() == State.NOT_RUNNING || loading.state() == State.ERROR);
		}
	}

	@Test
	void aRestartWithCleanUpDeletesNoStateWhileThePreviousInstanceIsStillClosing() throws Exception {
		String suffix = SharedBroker.unique("clean-closing");
		SharedBroker.createTopics("slow-count-in-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, SlowCount.class, "tributary.close-timeout=1s")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "slow-count");
			SlowCount slow = context.getBean(SlowCount.class);
			SharedBroker.send("slow-count-in-" + suffix, List.of("v"));
			await().atMost(TIMEOUT).until(() -> slow.entered.getCount() == 0);
			Path appDir = this.stateDir.resolve("itest-" + suffix + "-slow-count");
			List<Path> taskFiles = taskFiles(appDir);
			assertThat(taskFiles).as("files of the store's task directory").isNotEmpty();

			// The stream thread is stuck in the record: the close inside the restart times out.
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> registry.get("slow-count").restart(true))
				.withMessageContaining("still shutting down");
			assertThat(taskFiles).allMatch(Files::exists);
			// Asked again, with no instance left to close, it still deletes nothing.
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> registry.get("slow-count").restart(true))
				.withMessageContaining("still shutting down");
			assertThat(taskFiles).allMatch(Files::exists);

			slow.release.countDown();
			await().atMost(TIMEOUT)
				.ignoreExceptionsInstanceOf(IllegalStateException.class)
				.untilAsserted(() -> registry.get("slow-count").restart(true));
			awaitRunning(registry, "slow-count");
		}
	}

	private static List<Path> taskFiles(Path appDir) throws IOException {
		try (Stream<Path> files = Files.walk(appDir)) {
			// Task directories are named <subtopology>_<partition>.
			return files.filter(Files::isRegularFile)
				.filter((file) -> appDir.relativize(file).getNameCount() > 1
						&& appDir.relativize(file).getName(0).toString().matches("\\d+_\\d+"))
				.toList();
		}
	}

	@Test
	void aStaticMemberStaysInItsGroupWhenStoppedSoAQuickRestartTakesItsPartitionsBack() throws Exception {
		String suffix = SharedBroker.unique("static");
		SharedBroker.createTopics("lines-" + suffix, "shouts-" + suffix);
		try (ConfigurableApplicationContext context = start(suffix, TwoProcessors.class,
				"tributary.streams.group.instance.id=pod-0")) {
			ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
			awaitRunning(registry, "shout");
			registry.stop("shout");
			try (Admin admin = Admin
				.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers()))) {
				String group = "itest-" + suffix + "-shout";
				// Kafka Streams appends the stream thread's index to the instance id.
				assertThat(admin.describeConsumerGroups(List.of(group))
					.all()
					.get(30, TimeUnit.SECONDS)
					.get(group)
					.members()).extracting((member) -> member.groupInstanceId().orElse(null)).containsExactly("pod-0-1");
			}
			registry.start("shout");
			awaitRunning(registry, "shout");
			SharedBroker.send("shouts-" + suffix, List.of("back"));
			assertThat(SharedBroker.read("shouted-" + suffix, new StringDeserializer(), 1, TIMEOUT))
				.extracting((record) -> record.value())
				.containsExactly("BACK");
		}
	}

	private ConfigurableApplicationContext start(String suffix, Class<?> processors, String... properties) {
		return new SpringApplicationBuilder(TestApplication.class, processors).web(WebApplicationType.NONE)
			.properties("spring.application.name=itest-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.close-timeout=10s",
					// A thread that dies does not leave its group: its partitions wait for
					// the session timeout before moving, so keep it short here.
					"tributary.streams.session.timeout.ms=6000")
			.properties(properties)
			.run();
	}

	private static void awaitRunning(ProcessorRegistry registry, String... names) {
		for (String name : names) {
			await().atMost(TIMEOUT).until(() -> registry.get(name).state() == State.RUNNING);
		}
	}

	private static Set<String> consumerGroups() throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers()))) {
			return admin.listGroups()
				.all()
				.get(30, TimeUnit.SECONDS)
				.stream()
				.map(GroupListing::groupId)
				.collect(Collectors.toSet());
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

	@Import({ WordCount.class, Shout.class })
	static class TwoProcessors {

	}

	@StreamProcessor("word-count")
	static class WordCount {

		private final String suffix;

		WordCount(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("lines-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.flatMapValues((line) -> Arrays.asList(line.split(" ")))
				.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("word-counts"))
				.toStream()
				.to("counts-" + this.suffix, Produced.with(Serdes.String(), Serdes.Long()));
		}

	}

	@StreamProcessor("shout")
	static class Shout {

		private final String suffix;

		Shout(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("shouts-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.mapValues((value) -> value.toUpperCase())
				.to("shouted-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

	@Import({ Shout.class, Breakable.class })
	static class ShoutThenBreakable {

	}

	/**
	 * Fails to build its topology when told to, or at start (the second build; the
	 * first is start-up validation) with {@code test.break-on-start}.
	 */
	@StreamProcessor("breakable")
	static class Breakable {

		private final String suffix;

		private final boolean breakOnStart;

		private final AtomicInteger builds = new AtomicInteger();

		final AtomicBoolean breakBuilds = new AtomicBoolean();

		Breakable(@Value("${test.suffix}") String suffix, @Value("${test.break-on-start:false}") boolean breakOnStart) {
			this.suffix = suffix;
			this.breakOnStart = breakOnStart;
		}

		void topology(StreamsBuilder builder) {
			if (this.breakBuilds.get() || (this.breakOnStart && this.builds.incrementAndGet() > 1)) {
				throw new IllegalStateException("broken on purpose");
			}
			builder.stream("breakable-in-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.to("breakable-out-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

	@Import({ GlobalLoad.Processor.class, HoldingRestoreListener.class })
	static class GlobalLoad {

		@StreamProcessor("global-load")
		static class Processor {

			private final String suffix;

			Processor(@Value("${test.suffix}") String suffix) {
				this.suffix = suffix;
			}

			void topology(StreamsBuilder builder) {
				builder.globalTable("rates-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()));
			}

		}

	}

	/**
	 * Holds every restoration open until released, as a large store would.
	 */
	static class HoldingRestoreListener implements StateRestoreListener {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
			this.started.countDown();
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
		}

		@Override
		public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
		}

	}

	@StreamProcessor("slow")
	static class Slow {

		private final String suffix;

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		Slow(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("slow-in-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.foreach((key, value) -> {
					this.entered.countDown();
					try {
						this.release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
		}

	}

	@StreamProcessor("slow-count")
	static class SlowCount {

		private final String suffix;

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		SlowCount(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("slow-count-in-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.groupBy((key, value) -> value, Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as("slow-counts"))
				.toStream()
				.foreach((key, value) -> {
					this.entered.countDown();
					try {
						this.release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
		}

	}

	@Import(FailsOnce.Processor.class)
	static class FailsOnce {

		@StreamProcessor("fails-once")
		static class Processor {

			private final String suffix;

			private final AtomicBoolean failed = new AtomicBoolean();

			Processor(@Value("${test.suffix}") String suffix) {
				this.suffix = suffix;
			}

			void topology(StreamsBuilder builder) {
				builder.stream("in-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
					.peek((key, value) -> {
						if (value.equals("boom") && this.failed.compareAndSet(false, true)) {
							throw new IllegalStateException("boom");
						}
					})
					.to("out-" + this.suffix, Produced.with(Serdes.String(), Serdes.String()));
			}

		}

	}

}
