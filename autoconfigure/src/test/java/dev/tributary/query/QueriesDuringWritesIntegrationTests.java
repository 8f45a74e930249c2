package dev.tributary.query;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.tributary.SharedBroker;
import dev.tributary.StreamProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Key lookups and scans while the stream thread writes the same store as fast as it can
 * (without a cache, so that every record is a write to RocksDB). Kafka Streams 4.2's IQv2
 * takes a store's position lock and then the store's own lock, while a write takes them
 * the other way round (KAFKA-19629): a query through IQv2 could deadlock the stream
 * thread for good, with the processor still "running".
 */
class QueriesDuringWritesIntegrationTests {

	private static final int KEYS = 500;

	@TempDir
	Path stateDir;

	private ConfigurableApplicationContext context;

	private final AtomicBoolean stop = new AtomicBoolean();

	private final List<Thread> threads = new ArrayList<>();

	@AfterEach
	void close() throws InterruptedException {
		this.stop.set(true);
		for (Thread thread : this.threads) {
			thread.join(5000);
		}
		if (this.context != null && !deadlocked()) {
			this.context.close();
		}
	}

	@Test
	void lookupsAndScansWhileTheStoreIsWrittenNeverDeadlockTheStreamThread() throws Exception {
		String suffix = SharedBroker.unique("writes");
		SharedBroker.createTopics("writes-" + suffix);
		this.context = new SpringApplicationBuilder(WritesApplication.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=writes-" + suffix,
					"spring.kafka.bootstrap-servers=" + SharedBroker.bootstrapServers(), "test.suffix=" + suffix,
					"tributary.streams.state.dir=" + this.stateDir, "tributary.streams.commit.interval.ms=100",
					"tributary.close-timeout=10s")
			.run();
		ProcessorRegistry registry = this.context.getBean(ProcessorRegistry.class);
		await().atMost(Duration.ofSeconds(60)).until(() -> registry.get("latest").state() == State.RUNNING);
		StateStoreQueryService queries = this.context.getBean(StateStoreQueryService.class);

		AtomicLong written = new AtomicLong();
		AtomicBoolean writerStop = new AtomicBoolean();
		start("writer", () -> {
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers(),
							ProducerConfig.LINGER_MS_CONFIG, 5),
					new StringSerializer(), new StringSerializer())) {
				long i = 0;
				while (!this.stop.get() && !writerStop.get()) {
					producer.send(new ProducerRecord<>("writes-" + suffix, "k" + (i % KEYS), Long.toString(i)));
					written.incrementAndGet();
					i++;
					// At most about 10,000 a second: a steady stream of writes, which the
					// stream thread keeps up with on a loaded machine too.
					if (i % 10 == 0) {
						sleep(1);
					}
				}
			}
		});
		await().atMost(Duration.ofSeconds(60))
			.until(() -> queries.describe().get(0).stores().size() == 1 && lookup(queries, "k1"));
		AtomicLong lookups = new AtomicLong();
		AtomicLong scans = new AtomicLong();
		for (int n = 0; n < 2; n++) {
			start("lookups-" + n, () -> {
				while (!this.stop.get()) {
					if (lookup(queries, "k" + ThreadLocalRandom.current().nextInt(KEYS))) {
						lookups.incrementAndGet();
					}
				}
			});
		}
		start("scans", () -> {
			while (!this.stop.get()) {
				try {
					queries.query("latest", "latest", new StoreQuery.KeyRange(null, null, new StoreQuery.Page(50, null)));
					scans.incrementAndGet();
				}
				catch (QueryException ex) {
					// rebalancing or restoring: try again
				}
			}
		});
		// Through IQv2 this deadlocked within a few seconds.
		await().during(Duration.ofSeconds(15))
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(deadlocked()).as("threads in a deadlock:%n%s", deadlockReport()).isFalse());
		assertThat(lookups.get()).as("lookups answered").isGreaterThan(100);
		assertThat(scans.get()).as("scans answered").isGreaterThan(10);
		// The stream thread still works: it stores everything written while it was queried.
		writerStop.set(true);
		this.threads.get(0).join(10_000);
		long last = written.get() - 1;
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptionsInstanceOf(QueryException.class)
			.until(() -> Long.parseLong(queries.get("latest", "latest", "k" + (last % KEYS)).value(String.class)) == last);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean lookup(StateStoreQueryService queries, String key) {
		try {
			queries.get("latest", "latest", key);
			return true;
		}
		catch (QueryException ex) {
			return false;
		}
	}

	private void start(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	private static boolean deadlocked() {
		return ManagementFactory.getThreadMXBean().findDeadlockedThreads() != null;
	}

	private static String deadlockReport() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long[] ids = threads.findDeadlockedThreads();
		if (ids == null) {
			return "none";
		}
		return Arrays.stream(threads.getThreadInfo(ids, true, true))
			.map(ThreadInfo::toString)
			.collect(Collectors.joining("\n"));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Latest.class)
	static class WritesApplication {

	}

	@StreamProcessor("latest")
	static class Latest {

		private final String suffix;

		Latest(@Value("${test.suffix}") String suffix) {
			this.suffix = suffix;
		}

		void topology(StreamsBuilder builder) {
			builder.stream("writes-" + this.suffix, Consumed.with(Serdes.String(), Serdes.String()))
				.toTable(Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("latest")
					.withKeySerde(Serdes.String())
					.withValueSerde(Serdes.String())
					.withCachingDisabled());
		}

	}

}
