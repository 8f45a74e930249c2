package dev.tributary.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.tributary.benchmarks.queries.QueryStage;
import dev.tributary.benchmarks.queries.QueryResult;
import dev.tributary.benchmarks.throughput.HttpQueryStage;
import dev.tributary.benchmarks.startup.StartupApp;
import dev.tributary.benchmarks.startup.StartupBenchmark;
import dev.tributary.benchmarks.throughput.CaseResult;
import dev.tributary.benchmarks.throughput.Guarantee;
import dev.tributary.benchmarks.throughput.InputLoader;
import dev.tributary.benchmarks.throughput.InputLoader.Input;
import dev.tributary.benchmarks.throughput.PlainKafkaStreams;
import dev.tributary.benchmarks.throughput.ThroughputBenchmark;
import dev.tributary.benchmarks.throughput.TributaryProcessor;
import dev.tributary.benchmarks.throughput.Variant;
import dev.tributary.benchmarks.throughput.Workload;
import org.apache.kafka.streams.StreamsConfig;

import org.springframework.util.FileSystemUtils;

/**
 * Runs the benchmarks and writes the results as Markdown: throughput of plain Kafka
 * Streams against Tributary, interactive-query latency, and start-up time. Run it from
 * the repository root through {@code benchmarks/run}.
 */
public final class BenchmarkMain {

	/**
	 * Partitions of every topic: several tasks per sub-topology, as in a real application.
	 */
	static final int PARTITIONS = 4;

	private BenchmarkMain() {
	}

	public static void main(String[] args) {
		try {
			run(Options.parse(args));
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			// Kafka and Spring leave non-daemon threads behind: exit rather than hang.
			System.exit(1);
		}
		// Kafka and Spring leave non-daemon threads behind; the benchmark is over.
		System.exit(0);
	}

	private static void run(Options options) throws IOException {
		long began = System.nanoTime();
		MarkdownReport report = new MarkdownReport(Machine.current(), options, PARTITIONS);
		Path workDir = options.workDir().toAbsolutePath();
		FileSystemUtils.deleteRecursively(workDir);
		Files.createDirectories(workDir);
		try (BenchmarkBroker broker = BenchmarkBroker.start(PARTITIONS)) {
			System.out.println("Broker on " + broker.bootstrapServers() + "; work directory " + workDir);
			if (options.runs("throughput") || options.runs("queries")) {
				runStreams(options, broker, workDir, report);
			}
			if (options.runs("startup")) {
				System.out.println("Start-up: JVM launch until every processor is RUNNING");
				StartupBenchmark startup = new StartupBenchmark(broker, workDir);
				List<StartupApp> apps = List.of(StartupApp.wordCountSample(options.sampleJar(), broker.bootstrapServers()),
						StartupApp.plainWordCount(options.plainJar(), broker.bootstrapServers()));
				report.startup(startup.measure(apps, options.startupRuns()));
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(workDir);
		}
		report.wallClock(Duration.ofNanos(System.nanoTime() - began));
		String markdown = report.render();
		System.out.println();
		System.out.println(markdown);
		Files.createDirectories(options.output().toAbsolutePath().getParent());
		Files.writeString(options.output(), markdown);
		System.out.println("Written to " + options.output());
	}

	private static void runStreams(Options options, BenchmarkBroker broker, Path workDir, MarkdownReport report) {
		InputLoader loader = new InputLoader(broker);
		Map<Workload, Input> inputs = new EnumMap<>(Workload.class);
		Map<Workload, Input> warmUpInputs = new EnumMap<>(Workload.class);
		for (Workload workload : Workload.values()) {
			boolean needed = (options.workloads().contains(workload) && options.runs("throughput"))
					|| (workload == Workload.PASS_THROUGH && options.runs("throughput")) // warms the JVM up
					|| (workload == Workload.WORD_COUNT && options.runs("queries"));
			if (!needed) {
				continue;
			}
			long loading = System.nanoTime();
			Input input = loader.load(workload, "input-" + workload.id(), options.scaled(workload.defaultRecords()));
			inputs.put(workload, input);
			warmUpInputs.put(workload, loader.load(workload, "input-" + workload.id() + "-warmup",
					options.scaled(workload.defaultRecords() / 4)));
			System.out.printf("Loaded %,d records (and a quarter as many to warm up) for %s in %.1f s%n",
					input.records(), workload.id(), (System.nanoTime() - loading) / 1e9);
		}
		Variant baseline = options.baseline().equals("plain") ? new PlainKafkaStreams() : new TributaryProcessor();
		Variant candidate = options.candidateProperties().isEmpty() ? new TributaryProcessor()
				: new TributaryProcessor("Tributary with " + options.candidateProperties(), options.candidateProperties());
		ThroughputBenchmark throughput = new ThroughputBenchmark(broker, workDir, baseline, candidate);
		if (options.runs("throughput")) {
			System.out.println("Warming up the JVM");
			throughput.warmUp(warmUpInputs.get(Workload.PASS_THROUGH), 2);
			System.out.println("Throughput: " + baseline.name() + " vs " + candidate.name() + ", alternating");
			List<CaseResult> results = new ArrayList<>();
			for (Workload workload : options.workloads()) {
				for (Guarantee guarantee : options.guarantees()) {
					results.add(throughput.measure(workload, guarantee, inputs.get(workload),
							warmUpInputs.get(workload), options.rounds()));
				}
			}
			report.throughput(results);
			if (options.noiseFloor()) {
				// Plain against plain: how far apart two identical runs land on this machine.
				System.out.println("Noise floor: plain Kafka Streams against itself");
				Workload workload = options.workloads().get(0);
				ThroughputBenchmark same = new ThroughputBenchmark(broker, workDir, new PlainKafkaStreams(),
						new PlainKafkaStreams());
				report.noiseFloor(same.measure(workload, Guarantee.AT_LEAST_ONCE, inputs.get(workload),
						warmUpInputs.get(workload), options.rounds()));
			}
		}
		if (options.runs("queries")) {
			System.out.println("Interactive queries: point lookups on the word-count store; direct paths");
			// With application.server set, as a query layer that routes requests needs it,
			// Kafka Streams answers which partition (and instance) holds a key.
			List<QueryResult> results = new ArrayList<>(throughput.afterRun(new TributaryProcessor(),
					Workload.WORD_COUNT, Guarantee.AT_LEAST_ONCE, inputs.get(Workload.WORD_COUNT),
					Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:8080"),
					(running) -> new QueryStage(options.queries()).measure(running.streams(),
							Workload.WORD_COUNT_STORE)));
			System.out.println("Interactive queries: HTTP and Java API on two web instances, clients "
					+ options.queries().clients());
			results.addAll(new HttpQueryStage(broker.bootstrapServers(), workDir, options.queries())
				.measure(inputs.get(Workload.WORD_COUNT).topic()));
			report.queries(results);
		}
	}

}
