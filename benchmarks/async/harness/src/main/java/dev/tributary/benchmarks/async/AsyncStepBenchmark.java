package dev.tributary.benchmarks.async;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.tributary.StreamProcessor;
import dev.tributary.async.AsyncStep;
import dev.tributary.async.AsyncStepStats;
import dev.tributary.async.AsyncStepWorkers;
import dev.tributary.async.AsyncSteps;
import dev.tributary.devbroker.DevBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * An async step against plain Kafka Streams doing the same call in {@code mapValues}, in
 * one JVM against an in-process broker, alternating in each round:
 *
 * <ol>
 * <li>a simulated I/O call of {@code --latency-ms} (default 100) on {@code --partitions}
 * (4) partitions with {@code --in-flight} (400) calls allowed: records per second of the
 * step (non-blocking and blocking calls) and of plain Kafka Streams blocking in
 * {@code mapValues}, with the same partitions and stream threads;</li>
 * <li>a no-op step against plain pass-through: the price of the step's topic hops;</li>
 * <li>the heap while the called service stalls and input keeps arriving.</li>
 * </ol>
 * Prints medians over {@code --rounds} (3) rounds, with each round's figures.
 */
public final class AsyncStepBenchmark {

	static final ScheduledExecutorService CLOCK = Executors.newScheduledThreadPool(2);

	private final DevBroker broker;

	private final Path stateDir;

	private final int partitions;

	private final int latencyMs;

	private final int inFlight;

	private AsyncStepBenchmark(DevBroker broker, Path stateDir, int partitions, int latencyMs, int inFlight) {
		this.broker = broker;
		this.stateDir = stateDir;
		this.partitions = partitions;
		this.latencyMs = latencyMs;
		this.inFlight = inFlight;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
		int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
		int latencyMs = Integer.parseInt(options.getOrDefault("latency-ms", "100"));
		int inFlight = Integer.parseInt(options.getOrDefault("in-flight", "400"));
		double scale = Double.parseDouble(options.getOrDefault("scale", "1"));
		Path dir = Files.createTempDirectory("tributary-async-benchmark");
		try (DevBroker broker = DevBroker.start(0, dir.resolve("broker"), partitions)) {
			AsyncStepBenchmark benchmark = new AsyncStepBenchmark(broker, dir.resolve("state"), partitions, latencyMs,
					inFlight);
			if ("noop".equals(options.get("only"))) {
				benchmark.runNoopOnly(rounds, scale);
			}
			else {
				benchmark.run(rounds, scale);
			}
		}
		finally {
			CLOCK.shutdownNow();
		}
	}

	private void run(int rounds, double scale) throws Exception {
		int slowPlain = (int) Math.max(40, 240 * scale * 100 / this.latencyMs);
		int slowStep = (int) Math.max(400, 24_000 * scale * 100 / this.latencyMs);
		int noop = (int) Math.max(1000, 200_000 * scale);
		List<Double> plainSlow = new ArrayList<>();
		List<Double> stepSlow = new ArrayList<>();
		List<Double> stepBlocking = new ArrayList<>();
		List<Double> plainNoop = new ArrayList<>();
		List<Double> plainNoopAgain = new ArrayList<>();
		List<Double> stepNoop = new ArrayList<>();
		// Warm-up, not counted: class loading and JIT for both paths.
		measurePlain("warmup", 0, Math.max(1000, noop / 10));
		measureStep("warmup", Mode.NOOP, Math.max(1000, noop / 10));
		for (int round = 1; round <= rounds; round++) {
			boolean plainFirst = round % 2 == 1;
			if (plainFirst) {
				plainSlow.add(measurePlain("slow", this.latencyMs, slowPlain));
			}
			stepSlow.add(measureStep("slow", Mode.ASYNC, slowStep));
			stepBlocking.add(measureStep("slow-blocking", Mode.BLOCKING, slowStep));
			if (!plainFirst) {
				plainSlow.add(measurePlain("slow", this.latencyMs, slowPlain));
			}
			if (plainFirst) {
				plainNoop.add(measurePlain("noop", 0, noop));
				stepNoop.add(measureStep("noop", Mode.NOOP, noop));
			}
			else {
				stepNoop.add(measureStep("noop", Mode.NOOP, noop));
				plainNoop.add(measurePlain("noop", 0, noop));
			}
			plainNoopAgain.add(measurePlain("noop", 0, noop));
			System.out.printf("round %d: %d ms call: plain %.1f/s, step %.0f/s, blocking step %.0f/s; no-op: plain %.0f/s, "
					+ "step %.0f/s, plain again %.0f/s%n", round, this.latencyMs, last(plainSlow), last(stepSlow),
					last(stepBlocking), last(plainNoop), last(stepNoop), last(plainNoopAgain));
		}
		List<Double> heap = measureStalledHeap((int) Math.max(10, 30 * Math.min(1, scale)));
		double bound = this.inFlight * 1000.0 / this.latencyMs;
		System.out.println();
		System.out.printf("| case | median | range | goal |%n|---|---|---|---|%n");
		System.out.printf("| plain Kafka Streams, %d ms call in mapValues | %.1f records/s | %s | |%n", this.latencyMs,
				median(plainSlow), range(plainSlow));
		System.out.printf("| async step, %d ms non-blocking call, %d in flight | %.0f records/s (%.1f%% of %.0f/s, %.0f× plain) | %s | ≥ 90%% of the bound, ≥ 50× plain |%n",
				this.latencyMs, this.inFlight, median(stepSlow), 100 * median(stepSlow) / bound, bound,
				median(stepSlow) / median(plainSlow), range(stepSlow));
		System.out.printf("| async step, %d ms blocking call on its pool | %.0f records/s (%.1f%% of the bound, %.0f× plain) | %s | |%n",
				this.latencyMs, median(stepBlocking), 100 * median(stepBlocking) / bound,
				median(stepBlocking) / median(plainSlow), range(stepBlocking));
		System.out.printf("| plain pass-through | %.0f records/s | %s | |%n", median(plainNoop), range(plainNoop));
		System.out.printf("| async no-op step | %.0f records/s (%.2f of plain) | %s | ≥ 0.5 of plain |%n",
				median(stepNoop), median(stepNoop) / median(plainNoop), range(stepNoop));
		System.out.printf("| noise floor: plain pass-through / plain pass-through | %.2f | | |%n",
				median(ratios(plainNoopAgain, plainNoop)));
		System.out.printf("| heap used after GC, service stalled, every 5 s | %s MB | | flat |%n", heap.stream()
			.map((mb) -> String.format("%.0f", mb))
			.reduce((a, b) -> a + ", " + b)
			.orElse(""));
	}

	/** Only the no-op step against pass-through, to find out what a change to the step costs. */
	private void runNoopOnly(int rounds, double scale) throws Exception {
		int noop = (int) Math.max(1000, 200_000 * scale);
		measurePlain("warmup", 0, Math.max(1000, noop / 10));
		measureStep("warmup", Mode.NOOP, Math.max(1000, noop / 10));
		List<Double> ratios = new ArrayList<>();
		for (int round = 1; round <= rounds; round++) {
			double plain = measurePlain("noop", 0, noop);
			double step = measureStep("noop", Mode.NOOP, noop);
			ratios.add(step / plain);
			System.out.printf("round %d: no-op: plain %.0f/s, step %.0f/s, ratio %.2f%n", round, plain, step,
					step / plain);
		}
		System.out.printf("no-op step / plain pass-through, median of %d rounds: %.2f (range %s)%n", rounds,
				median(ratios), range(ratios));
	}

	/** Plain Kafka Streams: the call blocks in mapValues, as a hand-written app would do it. */
	private double measurePlain(String name, int sleepMs, int records) throws Exception {
		String id = "plain-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
		String input = id + "-in";
		String output = id + "-out";
		this.broker.createTopics(List.of(input, output), this.partitions);
		produce(input, records);
		StreamsBuilder builder = new StreamsBuilder();
		KStream<byte[], byte[]> stream = builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
		stream.mapValues((value) -> {
			if (sleepMs > 0) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(sleepMs));
			}
			return value;
		}).to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
		Properties properties = new Properties();
		properties.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
		properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers());
		properties.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.resolve(id).toString());
		properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, this.partitions);
		properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
		properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
		try (KafkaStreams streams = new KafkaStreams(builder.build(), properties)) {
			streams.start();
			return throughput(output, records);
		}
	}

	private double measureStep(String name, Mode mode, int records) throws Exception {
		String id = "step-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
		String input = id + "-in";
		String output = id + "-out";
		this.broker.createTopics(List.of(input, output), this.partitions);
		produce(input, records);
		try (ConfigurableApplicationContext context = startStep(id, input, output, mode, Integer.MAX_VALUE)) {
			return throughput(output, records);
		}
	}

	private ConfigurableApplicationContext startStep(String id, String input, String output, Mode mode,
			int maxBufferedRecords) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=" + id,
				"spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers(), "benchmark.input=" + input,
				"benchmark.output=" + output, "benchmark.mode=" + mode, "benchmark.latency-ms=" + this.latencyMs,
				"tributary.streams.state.dir=" + this.stateDir.resolve(id),
				"tributary.streams.num.stream.threads=" + this.partitions, "tributary.streams.commit.interval.ms=100",
				"tributary.streams.consumer.auto.offset.reset=earliest",
				"tributary.processors.step.async.call.max-in-flight=" + this.inFlight,
				"tributary.processors.step.async.call.timeout=10m"));
		if (maxBufferedRecords != Integer.MAX_VALUE) {
			properties.add("tributary.processors.step.async.call.max-buffered-records=" + maxBufferedRecords);
		}
		return new SpringApplicationBuilder(StepApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	/**
	 * Input keeps arriving (1 KB values) while the service never answers: the heap after
	 * a full GC, every 5 s.
	 */
	private List<Double> measureStalledHeap(int seconds) throws Exception {
		String id = "step-stalled-" + UUID.randomUUID().toString().substring(0, 8);
		String input = id + "-in";
		String output = id + "-out";
		this.broker.createTopics(List.of(input, output), this.partitions);
		List<Double> heap = new ArrayList<>();
		int bound = 4 * this.inFlight;
		try (ConfigurableApplicationContext context = startStep(id, input, output, Mode.STALLED, bound);
				KafkaProducer<byte[], byte[]> producer = producer()) {
			AsyncStepStats stats = context.getBean(AsyncStepWorkers.class).stats("step").get(0);
			byte[] value = new byte[1024];
			long start = System.nanoTime();
			long nextSample = start;
			int maxBuffered = 0;
			int sent = 0;
			while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
				for (int i = 0; i < 100; i++) {
					producer.send(new ProducerRecord<>(input, ("k" + sent++).getBytes(), value));
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
				maxBuffered = Math.max(maxBuffered, stats.buffered());
				if (System.nanoTime() >= nextSample) {
					System.gc();
					heap.add(usedHeapMb());
					nextSample += TimeUnit.SECONDS.toNanos(5);
				}
			}
			System.out.printf("stalled service: %d records sent in %d s, at most %d held (bound %d), %d in flight, "
					+ "%d partitions paused%n", sent, seconds, maxBuffered, bound, stats.inFlight(),
					stats.pausedPartitions());
		}
		return heap;
	}

	private static double usedHeapMb() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024);
	}

	/** Records per second from the first output record to the last expected one. */
	private double throughput(String output, int records) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest");
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(output));
			long first = 0;
			int firstBatch = 0;
			int seen = 0;
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
			while (seen < records) {
				int polled = consumer.poll(Duration.ofMillis(50)).count();
				if (polled > 0 && first == 0) {
					// Timed from the first output: start-up and group joins are not counted.
					first = System.nanoTime();
					firstBatch = polled;
				}
				seen += polled;
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(output + ": only " + seen + " of " + records + " records in 5 min");
				}
			}
			return (records - firstBatch) / ((System.nanoTime() - first) / 1e9);
		}
	}

	private void produce(String topic, int records) {
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			byte[] value = new byte[100];
			for (int i = 0; i < records; i++) {
				producer.send(new ProducerRecord<>(topic, ("key-" + i).getBytes(), value));
			}
		}
	}

	private KafkaProducer<byte[], byte[]> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers(),
				ProducerConfig.LINGER_MS_CONFIG, 10), new ByteArraySerializer(), new ByteArraySerializer());
	}

	private static double last(List<Double> values) {
		return values.get(values.size() - 1);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static String range(List<Double> values) {
		return String.format("%.1f–%.1f", Collections.min(values), Collections.max(values));
	}

	private static List<Double> ratios(List<Double> a, List<Double> b) {
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < a.size(); i++) {
			ratios.add(a.get(i) / b.get(i));
		}
		return ratios;
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new java.util.HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Unknown argument '" + arg
						+ "'; use --rounds=, --partitions=, --latency-ms=, --in-flight=, --scale=, --only=noop");
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

	enum Mode {

		/** A non-blocking call answered after the latency. */
		ASYNC,

		/** A blocking call that sleeps the latency, on the step's pool. */
		BLOCKING,

		/** Answers at once. */
		NOOP,

		/** Never answers. */
		STALLED

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Step.class)
	static class StepApplication {

	}

	@StreamProcessor("step")
	static class Step {

		private final String input;

		private final String output;

		private final Mode mode;

		private final int latencyMs;

		Step(@Value("${benchmark.input}") String input, @Value("${benchmark.output}") String output,
				@Value("${benchmark.mode}") Mode mode, @Value("${benchmark.latency-ms}") int latencyMs) {
			this.input = input;
			this.output = output;
			this.mode = mode;
			this.latencyMs = latencyMs;
		}

		void topology(StreamsBuilder builder, AsyncSteps async) {
			KStream<byte[], byte[]> stream = builder.stream(this.input,
					Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
			AsyncStep<byte[], byte[], byte[]> step = switch (this.mode) {
				case ASYNC -> AsyncStep.call("call", (key, value) -> {
					CompletableFuture<byte[]> answer = new CompletableFuture<>();
					CLOCK.schedule(() -> answer.complete(value), this.latencyMs, TimeUnit.MILLISECONDS);
					return answer;
				});
				case BLOCKING -> AsyncStep.blocking("call", (key, value) -> {
					Thread.sleep(this.latencyMs);
					return value;
				});
				case NOOP -> AsyncStep.call("call", (key, value) -> CompletableFuture.completedFuture(value));
				case STALLED -> AsyncStep.call("call", (key, value) -> new CompletableFuture<>());
			};
			async.mapValues(stream, step.withSerdes(Serdes.ByteArray(), Serdes.ByteArray(), Serdes.ByteArray()))
				.to(this.output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
		}

	}

}
