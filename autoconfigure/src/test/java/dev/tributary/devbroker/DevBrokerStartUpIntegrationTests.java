package dev.tributary.devbroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.query.QueryException;
import dev.tributary.query.StateStoreQueryService;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application on the dev broker, started as a user would: what its log says on a
 * first start, and what a start says and does when the broker's data is gone but the
 * processors' state is not. The topology leaves its store and repartition topic unnamed,
 * the case Kafka advises on and whose repartition topic Kafka Streams creates only in
 * its first rebalance.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevBrokerStartUpIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	Path work;

	@Test
	void aFirstStartLogsKafkasNamingAdviceOnceAndNothingAboutTopicsKafkaStreamsIsAboutToCreate(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(this.work.resolve("state"), null)) {
			await().atMost(TIMEOUT).until(() -> running(context));
			send(context, "kafka streams", "kafka");
			await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(QueryException.class).until(() -> count(context, "kafka") == 2);
		}
		assertThat(occurrences(output.getOut(), "Explicit naming for internal resources is currently disabled"))
			.as(output.getOut())
			.isEqualTo(1);
		assertThat(output.getOut()).doesNotContain("UNKNOWN_TOPIC_OR_PARTITION")
			.doesNotContain("were supplied but are not used yet")
			.doesNotContain("Config values:")
			.doesNotContain("Attempting to close NetworkClient that has already been closed")
			.contains("(data in " + this.work.resolve("state").resolve("tributary-dev-broker").toAbsolutePath() + ")");
	}

	@Test
	void stateOfAClusterThatNoLongerExistsIsDeletedWithOneLineBeforeTheProcessorStarts(CapturedOutput output) {
		Path state = this.work.resolve("state");
		try (ConfigurableApplicationContext context = start(state, this.work.resolve("first-broker"))) {
			await().atMost(TIMEOUT).until(() -> running(context));
			send(context, "kafka streams", "kafka");
			await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(QueryException.class).until(() -> count(context, "kafka") == 2);
		}
		int firstRun = output.getOut().length();
		// The state is kept; the broker's data is not: a broker with new data in another directory.
		try (ConfigurableApplicationContext context = start(state, this.work.resolve("second-broker"))) {
			await().atMost(TIMEOUT).until(() -> running(context));
			send(context, "streams");
			await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(QueryException.class)
				.until(() -> count(context, "streams") == 1);
			assertThatExceptionOfType(QueryException.class).isThrownBy(() -> count(context, "kafka"))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(QueryException.Reason.NOT_FOUND));
		}
		String secondRun = output.getOut().substring(firstRun);
		assertThat(occurrences(secondRun, "belongs to another Kafka cluster")).as(secondRun).isEqualTo(1);
		assertThat(secondRun).contains("Processor 'words': the local state in")
			.doesNotContain("TaskCorruptedException")
			.doesNotContain("OffsetOutOfRangeException");
	}

	@Test
	void theStateOfAProcessorOnAnotherClusterIsKeptWhenTheDevBrokerStartsWithNewData(CapturedOutput output)
			throws Exception {
		Path state = this.work.resolve("state");
		String name = SharedBroker.unique("start-up");
		SharedBroker.createTopics("lines");
		String[] elsewhere = { "spring.application.name=" + name,
				"tributary.processors.words.properties.bootstrap.servers=" + SharedBroker.bootstrapServers() };
		try (ConfigurableApplicationContext context = start(state, this.work.resolve("first-broker"), elsewhere)) {
			await().atMost(TIMEOUT).until(() -> running(context));
			SharedBroker.send("lines", List.of("kafka streams", "kafka"));
			await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(QueryException.class)
				.until(() -> count(context, "kafka") >= 2);
		}
		Path taskDirectory;
		try (Stream<Path> tasks = Files.list(state.resolve(name + "-words"))) {
			taskDirectory = tasks.filter((path) -> path.getFileName().toString().matches("\\d+_\\d+"))
				.findFirst()
				.orElseThrow();
		}
		Path sentinel = Files.writeString(taskDirectory.resolve("sentinel"), "kept");
		int firstRun = output.getOut().length();
		// The dev broker starts with new data; the processor's cluster is the same as before.
		try (ConfigurableApplicationContext context = start(state, this.work.resolve("second-broker"), elsewhere)) {
			await().atMost(TIMEOUT).until(() -> running(context));
			assertThat(sentinel).exists();
		}
		assertThat(output.getOut().substring(firstRun)).doesNotContain("belongs to another Kafka cluster");
	}

	private static ConfigurableApplicationContext start(Path stateDir, Path brokerDataDir, String... more) {
		return new SpringApplicationBuilder(StartUpApplication.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=start-up", "tributary.dev-broker.enabled=true",
					"tributary.dev-broker.port=0", "tributary.streams.state.dir=" + stateDir,
					"tributary.streams.commit.interval.ms=100")
			.properties((brokerDataDir != null) ? new String[] { "tributary.dev-broker.data-dir=" + brokerDataDir }
					: new String[0])
			.properties(more)
			.run();
	}

	private static boolean running(ConfigurableApplicationContext context) {
		return context.getBean(ProcessorRegistry.class).get("words").state() == State.RUNNING;
	}

	private static long count(ConfigurableApplicationContext context, String word) {
		// The count store, named by Kafka Streams.
		String store = context.getBean(ProcessorRegistry.class).get("words").storeNames().get(0);
		return context.getBean(StateStoreQueryService.class).get("words", store, word).value(Long.class);
	}

	private static void send(ConfigurableApplicationContext context, String... lines) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				context.getBean(DevBroker.class).bootstrapServers());
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
				new StringSerializer())) {
			for (String line : lines) {
				producer.send(new ProducerRecord<>("lines", line)).get(30, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int occurrences(String text, String part) {
		return text.split(Pattern.quote(part), -1).length - 1;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Words.class)
	static class StartUpApplication {

	}

	@StreamProcessor("words")
	static class Words {

		void topology(StreamsBuilder builder) {
			builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
				.flatMapValues((line) -> List.of(line.split(" ")))
				.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
				.count();
		}

	}

}
