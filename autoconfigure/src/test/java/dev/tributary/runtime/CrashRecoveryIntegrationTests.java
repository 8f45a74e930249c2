package dev.tributary.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.tributary.SharedBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A processor application in a child JVM is killed with SIGKILL in the middle of a
 * stream and started again with the same state directory and application id.
 * {@link CrashTestApplication} echoes every input value and emits the running count per
 * key, so a lost record shows as a missing echo or a count that falls short, and a record
 * processed twice as a repeated echo or a repeated or skipped count.
 */
@Tag("slow")
class CrashRecoveryIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int RECORDS = 40_000;

	private static final int KEYS = 4;

	@TempDir
	Path stateDir;

	private final List<Process> children = new ArrayList<>();

	private final List<KafkaConsumer<?, ?>> consumers = new ArrayList<>();

	@AfterEach
	void destroyChildren() throws InterruptedException {
		for (Process child : this.children) {
			child.destroyForcibly();
			child.waitFor(10, TimeUnit.SECONDS);
		}
		this.consumers.forEach(KafkaConsumer::close);
	}

	@Test
	void exactlyOnceOutputAfterSigkillEqualsACrashFreeRun() throws Exception {
		CrashRun run = new CrashRun("crash-eos", "exactly-once");
		run.produceInput();
		run.startChild();
		int echoedAtKill = run.killMidStream();
		run.startChild();
		run.readUntil((output) -> output.echoes.size() >= RECORDS && output.countsReached(run.expectedCounts()));
		// Late duplicates would arrive after the last expected record: keep reading briefly.
		run.readFor(Duration.ofSeconds(2));

		assertThat(echoedAtKill).as("input records committed when the child was killed").isLessThan(RECORDS);
		assertThat(run.echoes).as("echoed input values, read_committed").hasSize(RECORDS);
		assertThat(new TreeSet<>(run.echoes)).hasSize(RECORDS).isEqualTo(run.inputValues());
		run.expectedCounts().forEach((key, count) -> assertThat(run.counts.get(key))
			.as("committed running counts of key %s", key)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList()));
	}

	@Test
	void atLeastOnceLosesNoRecordAfterSigkill() throws Exception {
		// A short commit interval, so offsets are committed mid-stream and the restart
		// resumes from them rather than replaying the whole input.
		CrashRun run = new CrashRun("crash-alos", "at-least-once", "--tributary.streams.commit.interval.ms=200");
		run.produceInput();
		run.startChild();
		int echoedAtKill = run.killMidStream();
		run.startChild();
		run.readUntil((output) -> new TreeSet<>(output.echoes).size() >= RECORDS
				&& output.countsReached(run.expectedCounts()));

		System.out.println(run.suffix + ": " + (run.echoes.size() - RECORDS) + " input records processed twice");
		assertThat(echoedAtKill).as("input records echoed when the child was killed").isLessThan(RECORDS);
		assertThat(new TreeSet<>(run.echoes)).as("distinct echoed input values").isEqualTo(run.inputValues());
		run.expectedCounts().forEach((key, count) -> assertThat(run.latestCount(key))
			.as("final count of key %s (duplicates allowed, no loss)", key)
			.isGreaterThanOrEqualTo(count));
	}

	/**
	 * One crash scenario: its topics, its child processes and what was read so far.
	 */
	private final class CrashRun {

		private final String suffix;

		private final String guarantee;

		private final List<String> extraArguments;

		private final String input;

		private final String echo;

		private final String output;

		private final List<String> echoes = new ArrayList<>();

		private final Map<String, List<Long>> counts = new TreeMap<>();

		private final KafkaConsumer<String, byte[]> consumer;

		private int started;

		private Process child;

		CrashRun(String prefix, String guarantee, String... extraArguments) {
			this.suffix = SharedBroker.unique(prefix);
			this.guarantee = guarantee;
			this.extraArguments = List.of(extraArguments);
			this.input = "input-" + this.suffix;
			this.echo = "echo-" + this.suffix;
			this.output = "counts-" + this.suffix;
			SharedBroker.createTopics(this.input, this.echo, this.output);
			Map<String, Object> config = new HashMap<>();
			config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
			config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
			config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
			config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
			this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
			this.consumer.subscribe(List.of(this.echo, this.output));
			CrashRecoveryIntegrationTests.this.consumers.add(this.consumer);
		}

		void produceInput() {
			Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers(),
					ProducerConfig.LINGER_MS_CONFIG, 20);
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
					new StringSerializer())) {
				for (int i = 0; i < RECORDS; i++) {
					producer.send(new ProducerRecord<>(this.input, key(i), value(i)));
				}
				producer.flush();
			}
		}

		Map<String, Long> expectedCounts() {
			Map<String, Long> expected = new TreeMap<>();
			for (int i = 0; i < RECORDS; i++) {
				expected.merge(key(i), 1L, Long::sum);
			}
			return expected;
		}

		Set<String> inputValues() {
			Set<String> values = new TreeSet<>();
			for (int i = 0; i < RECORDS; i++) {
				values.add(value(i));
			}
			return values;
		}

		void startChild() throws IOException {
			this.started++;
			Path logs = Files.createDirectories(Path.of("target", "crash-tests"));
			Path log = logs.resolve(this.suffix + "-" + this.started + ".log");
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
					"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
					CrashTestApplication.class.getName(), "--spring.application.name=" + this.suffix,
					"--spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(),
					"--tributary.streams.state.dir=" + CrashRecoveryIntegrationTests.this.stateDir,
					"--tributary.processors.counter.guarantee=" + this.guarantee,
					// every count update is emitted, so a repeated or skipped one shows
					"--tributary.streams.statestore.cache.max.bytes=0",
					"--tributary.streams.session.timeout.ms=6000", "--crash.input-topic=" + this.input,
					"--crash.echo-topic=" + this.echo, "--crash.output-topic=" + this.output,
					"--logging.level.org.apache.kafka=warn", "--logging.level.kafka=warn"));
			command.addAll(this.extraArguments);
			this.child = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			CrashRecoveryIntegrationTests.this.children.add(this.child);
		}

		/**
		 * Waits until an eighth of the input has been echoed, then kills the child with
		 * SIGKILL, in the middle of processing (and under exactly-once, of a transaction).
		 * @return how many input records had been echoed when the child was killed
		 */
		int killMidStream() throws InterruptedException {
			readUntil((run) -> run.echoes.size() >= RECORDS / 8);
			this.child.destroyForcibly();
			assertThat(this.child.waitFor(10, TimeUnit.SECONDS)).as("child exited after SIGKILL").isTrue();
			assertThat(this.child.isAlive()).isFalse();
			// 128 + 9: killed by SIGKILL, not exited on its own
			assertThat(this.child.exitValue()).as("exit status of the killed child").isEqualTo(137);
			// Everything committed before the kill, for the record of how far it got.
			readFor(Duration.ofSeconds(1));
			System.out.println(this.suffix + ": killed the child with " + this.echoes.size() + " of " + RECORDS
					+ " input records echoed");
			return this.echoes.size();
		}

		boolean countsReached(Map<String, Long> expected) {
			return expected.entrySet().stream().allMatch((entry) -> latestCount(entry.getKey()) >= entry.getValue());
		}

		long latestCount(String key) {
			List<Long> values = this.counts.getOrDefault(key, List.of());
			return values.isEmpty() ? 0 : values.stream().mapToLong(Long::longValue).max().getAsLong();
		}

		void readUntil(Predicate<CrashRun> done) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (!done.test(this)) {
				if (System.nanoTime() > deadline) {
					fail("Timed out after " + TIMEOUT + " with " + this.echoes.size() + " echoes and counts "
							+ this.counts.entrySet()
								.stream()
								.collect(Collectors.toMap(Map.Entry::getKey, (e) -> latestCount(e.getKey())))
							+ "; child output in target/crash-tests/" + this.suffix + "-*.log");
				}
				if (!this.child.isAlive()) {
					fail("The child application exited with " + this.child.exitValue() + "; see target/crash-tests/"
							+ this.suffix + "-" + this.started + ".log");
				}
				poll();
			}
		}

		void readFor(Duration duration) {
			long deadline = System.nanoTime() + duration.toNanos();
			while (System.nanoTime() < deadline) {
				poll();
			}
		}

		private void poll() {
			for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(200))) {
				if (record.topic().equals(this.echo)) {
					this.echoes.add(new String(record.value(), StandardCharsets.UTF_8));
				}
				else {
					this.counts.computeIfAbsent(record.key(), (key) -> new ArrayList<>())
						.add(new LongDeserializer().deserialize(record.topic(), record.value()));
				}
			}
		}

		private static String key(int i) {
			return "key-" + (i % KEYS);
		}

		private static String value(int i) {
			return String.format("%06d", i);
		}

	}

}
