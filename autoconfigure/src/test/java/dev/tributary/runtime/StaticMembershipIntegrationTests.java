package dev.tributary.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.tributary.SharedBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A processor application in a child JVM is killed with SIGKILL and started again, as a
 * pod is on a node failure or an OOM kill. Without static membership its partitions stay
 * with the dead member until {@code session.timeout.ms} expires; with a
 * {@code group.instance.id} the restarted instance takes them back at once.
 */
@Tag("slow")
class StaticMembershipIntegrationTests {

	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	@TempDir
	Path stateDir;

	private final List<Process> children = new ArrayList<>();

	@AfterEach
	void destroyChildren() throws InterruptedException {
		for (Process child : this.children) {
			child.destroyForcibly();
			child.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aStaticMemberRestartedAfterSigkillResumesWithoutWaitingForTheSessionTimeout() throws Exception {
		Duration withStaticMembership = restartAfterSigkill("static", "--tributary.streams.group.instance.id=pod-0");
		Duration withoutStaticMembership = restartAfterSigkill("dynamic");
		System.out.println("Relaunch after SIGKILL to processing resumed: " + withStaticMembership.toMillis()
				+ " ms with static membership, " + withoutStaticMembership.toMillis() + " ms without (session.timeout.ms "
				+ SESSION_TIMEOUT.toMillis() + ")");

		assertThat(withStaticMembership).isLessThan(SESSION_TIMEOUT.dividedBy(2));
		// The dynamic member's partitions wait for the dead member's session to expire.
		assertThat(withoutStaticMembership).isGreaterThan(withStaticMembership.plus(SESSION_TIMEOUT.dividedBy(3)));
	}

	/**
	 * Starts the child, waits until it processes, kills it and starts it again.
	 * @return the time from the relaunch until the new instance processed a record
	 */
	private Duration restartAfterSigkill(String prefix, String... extraArguments) throws Exception {
		String suffix = SharedBroker.unique(prefix);
		String input = "input-" + suffix;
		String echo = "echo-" + suffix;
		SharedBroker.createTopics(input, echo, "counts-" + suffix);
		try (KafkaConsumer<String, String> consumer = consumer(echo)) {
			Process first = startChild(suffix, 1, extraArguments);
			SharedBroker.send(input, List.of("before"));
			awaitEcho(consumer, "before", first, suffix);
			first.destroyForcibly();
			assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("child exited after SIGKILL").isTrue();

			long relaunched = System.nanoTime();
			Process second = startChild(suffix, 2, extraArguments);
			SharedBroker.send(input, List.of("after"));
			awaitEcho(consumer, "after", second, suffix);
			return Duration.ofNanos(System.nanoTime() - relaunched);
		}
	}

	private Process startChild(String suffix, int run, String... extraArguments) throws IOException {
		Path log = Files.createDirectories(Path.of("target", "crash-tests")).resolve(suffix + "-" + run + ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				CrashTestApplication.class.getName(), "--spring.application.name=" + suffix,
				"--spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(),
				"--tributary.streams.state.dir=" + this.stateDir.resolve(suffix),
				"--tributary.streams.session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
				"--tributary.streams.commit.interval.ms=100", "--crash.input-topic=input-" + suffix,
				"--crash.echo-topic=echo-" + suffix, "--crash.output-topic=counts-" + suffix,
				"--logging.level.org.apache.kafka=warn", "--logging.level.kafka=warn"));
		command.addAll(List.of(extraArguments));
		Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.children.add(child);
		return child;
	}

	private static KafkaConsumer<String, String> consumer(String topic) {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer());
		consumer.subscribe(List.of(topic));
		return consumer;
	}

	private static void awaitEcho(KafkaConsumer<String, String> consumer, String value, Process child,
			String suffix) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!child.isAlive()) {
				fail("The child application exited with " + child.exitValue() + "; see target/crash-tests/" + suffix
						+ "-*.log");
			}
			for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
				if (record.value().equals(value)) {
					return;
				}
			}
		}
		fail("No echo of '" + value + "' within " + TIMEOUT + "; see target/crash-tests/" + suffix + "-*.log");
	}

}
