package dev.tributary.async;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import dev.tributary.SharedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An application with an async step in child JVMs, killed with SIGKILL mid-stream and
 * started again, or joined and left by a second instance mid-stream: at-least-once loses
 * nothing; exactly-once writes each result exactly once, in each key's order.
 */
@Tag("slow")
class AsyncStepCrashIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final int RECORDS = 20_000;

	private static final int KEYS = 200;

	@TempDir
	Path stateDir;

	private final List<Process> children = new ArrayList<>();

	private KafkaConsumer<String, String> consumer;

	@AfterEach
	void destroyChildren() throws InterruptedException {
		for (Process child : this.children) {
			child.destroyForcibly();
			child.waitFor(10, TimeUnit.SECONDS);
		}
		if (this.consumer != null) {
			this.consumer.close();
		}
	}

	@Test
	void atLeastOnceLosesNoResultAfterSigkill() throws Exception {
		Run run = new Run("async-crash-alos", "at-least-once");
		Process first = run.start("a");
		run.readUntil((results) -> results.size() >= RECORDS / 8, first);
		kill(first);
		run.release();
		run.readFor(Duration.ofSeconds(1));
		assertThat(run.results.size()).as("results when the first instance was killed").isLessThan(RECORDS);
		Process second = run.start("a");
		run.readUntil((results) -> new TreeSet<>(results.values()).size() >= RECORDS, second);
		assertThat(new TreeSet<>(run.distinct())).isEqualTo(run.expected());
	}

	@Test
	void exactlyOnceWritesEachResultOnceInKeyOrderAfterSigkill() throws Exception {
		Run run = new Run("async-crash-eos", "exactly-once");
		Process first = run.start("a");
		run.readUntil((results) -> results.size() >= RECORDS / 8, first);
		kill(first);
		run.release();
		run.readFor(Duration.ofSeconds(1));
		assertThat(run.results.size()).as("results when the first instance was killed").isLessThan(RECORDS);
		Process second = run.start("a");
		run.readUntil((results) -> results.size() >= RECORDS, second);
		run.readFor(Duration.ofSeconds(2));
		run.assertExactlyOnceInKeyOrder();
	}

	@Test
	void exactlyOnceWritesEachResultOnceWhenASecondInstanceJoinsAndLeaves() throws Exception {
		Run run = new Run("async-join-eos", "exactly-once");
		Process first = run.start("a");
		run.readUntil((results) -> results.size() >= 1, first);
		Process second = run.start("b");
		// The second instance takes partitions of the step's group and works on them for a while.
		String workerGroup = run.suffix + "-echo-answer-worker";
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (assignedMembers(workerGroup) < 2) {
			assertThat(System.nanoTime()).as("second instance joined the step's group").isLessThan(deadline);
			assertThat(second.isAlive()).as("second instance alive").isTrue();
			run.readFor(Duration.ofMillis(200));
		}
		int joinedAt = run.results.size();
		assertThat(joinedAt).as("results when the second instance joined").isLessThan(RECORDS * 3 / 4);
		run.release();
		run.readUntil((results) -> results.size() >= joinedAt + RECORDS / 10, first);
		second.destroy();
		assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("second instance stopped").isTrue();
		run.readUntil((results) -> results.size() >= RECORDS, first);
		run.readFor(Duration.ofSeconds(2));
		run.assertExactlyOnceInKeyOrder();
	}

	private static int assignedMembers(String group) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers()))) {
			ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
				.all()
				.get(10, TimeUnit.SECONDS)
				.get(group);
			return (int) description.members()
				.stream()
				.filter((member) -> !member.assignment().topicPartitions().isEmpty())
				.count();
		}
		catch (Exception ex) {
			return 0;
		}
	}

	private static void kill(Process child) throws InterruptedException {
		child.destroyForcibly();
		assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
	}

	private final class Run {

		private final String suffix;

		private final String guarantee;

		private final String input;

		private final String output;

		/** Results in the order read, as key -> value pairs. */
		private final List<Map.Entry<String, String>> results = new ArrayList<>();

		private int started;

		/** The input stops after its first quarter until {@link #release()}. */
		private final CountDownLatch released = new CountDownLatch(1);

		Run(String prefix, String guarantee) {
			this.suffix = SharedBroker.unique(prefix);
			this.guarantee = guarantee;
			this.input = "input-" + this.suffix;
			this.output = "output-" + this.suffix;
			SharedBroker.broker().createTopics(List.of(this.input), 4);
			SharedBroker.broker().createTopics(List.of(this.output), 4);
			Map<String, Object> config = new HashMap<>();
			config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
			config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
			config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
			config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
			AsyncStepCrashIntegrationTests.this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
					new StringDeserializer());
			AsyncStepCrashIntegrationTests.this.consumer.subscribe(List.of(this.output));
			// The input arrives over about 20 s, and its last three quarters only once the
			// test releases them, so that kills and joins happen mid-stream however fast or
			// slow the machine is.
			Thread producerThread = new Thread(this::produce, "input-" + this.suffix);
			producerThread.setDaemon(true);
			producerThread.start();
		}

		private void produce() {
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers(),
							ProducerConfig.LINGER_MS_CONFIG, 20),
					new StringSerializer(), new StringSerializer())) {
				long start = System.nanoTime();
				int from = 0;
				for (int i = 0; i < RECORDS; i++) {
					if (i == RECORDS / 4) {
						producer.flush();
						this.released.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
						start = System.nanoTime();
						from = i;
					}
					producer.send(new ProducerRecord<>(this.input, key(i), value(i)));
					if (i % 200 == 199) {
						LockSupport.parkNanos(start + TimeUnit.MILLISECONDS.toNanos(20L * (i - from) * 1000 / RECORDS)
								- System.nanoTime());
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/** Lets the rest of the input arrive. */
		void release() {
			this.released.countDown();
		}

		Process start(String instance) throws IOException {
			this.started++;
			Path logs = Files.createDirectories(Path.of("target", "crash-tests"));
			Path log = logs.resolve(this.suffix + "-" + this.started + ".log");
			List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
					System.getProperty("java.class.path"), AsyncCrashTestApplication.class.getName(),
					"--spring.application.name=" + this.suffix,
					"--spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(),
					"--tributary.streams.state.dir=" + AsyncStepCrashIntegrationTests.this.stateDir.resolve(instance),
					"--tributary.guarantee=" + this.guarantee, "--tributary.streams.commit.interval.ms=200",
					"--tributary.streams.session.timeout.ms=6000", "--crash.input-topic=" + this.input,
					"--crash.output-topic=" + this.output, "--logging.level.org.apache.kafka=warn",
					"--logging.level.kafka=warn");
			Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			AsyncStepCrashIntegrationTests.this.children.add(child);
			return child;
		}

		void readUntil(Predicate<Map<String, String>> done, Process child) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (!done.test(asMap())) {
				if (System.nanoTime() > deadline) {
					fail("Timed out after " + TIMEOUT + " with " + this.results.size() + " results; child output in "
							+ "target/crash-tests/" + this.suffix + "-*.log");
				}
				if (!child.isAlive()) {
					fail("The child exited with " + child.exitValue() + "; see target/crash-tests/" + this.suffix
							+ "-*.log");
				}
				poll();
			}
		}

		/** Results by index so far: {@code size()} counts every result read, duplicates included. */
		private Map<String, String> asMap() {
			return new java.util.AbstractMap<>() {
				@Override
				public java.util.Set<Entry<String, String>> entrySet() {
					return new java.util.AbstractSet<>() {
						@Override
						public java.util.Iterator<Entry<String, String>> iterator() {
							return Run.this.results.iterator();
						}

						@Override
						public int size() {
							return Run.this.results.size();
						}
					};
				}

				@Override
				public java.util.Collection<String> values() {
					return Run.this.results.stream().map(Map.Entry::getValue).toList();
				}
			};
		}

		void readFor(Duration duration) {
			long deadline = System.nanoTime() + duration.toNanos();
			while (System.nanoTime() < deadline) {
				poll();
			}
		}

		private void poll() {
			for (ConsumerRecord<String, String> record : AsyncStepCrashIntegrationTests.this.consumer
				.poll(Duration.ofMillis(200))) {
				this.results.add(Map.entry(record.key(), record.value()));
			}
		}

		List<String> distinct() {
			return this.results.stream().map(Map.Entry::getValue).distinct().toList();
		}

		TreeSet<String> expected() {
			TreeSet<String> expected = new TreeSet<>();
			IntStream.range(0, RECORDS).forEach((i) -> expected.add(value(i) + ":done"));
			return expected;
		}

		void assertExactlyOnceInKeyOrder() {
			assertThat(this.results).as("results, read_committed").hasSize(RECORDS);
			assertThat(new TreeSet<>(distinct())).isEqualTo(expected());
			Map<String, List<String>> byKey = new TreeMap<>();
			this.results.forEach((result) -> byKey.computeIfAbsent(result.getKey(), (k) -> new ArrayList<>())
				.add(result.getValue()));
			assertThat(byKey).hasSize(KEYS);
			byKey.forEach((key, values) -> assertThat(values).as("results of %s in input order", key).isSorted());
		}

		private static String key(int i) {
			return "key-" + (i % KEYS);
		}

		private static String value(int i) {
			return String.format("%06d", i);
		}

	}

}
