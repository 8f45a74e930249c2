package dev.tributary.benchmarks;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.tributary.benchmarks.queries.QueryResult;
import dev.tributary.benchmarks.queries.QuerySettings;
import dev.tributary.benchmarks.startup.StartupResult;
import dev.tributary.benchmarks.throughput.CaseResult;
import dev.tributary.benchmarks.throughput.HttpQueryStage;
import dev.tributary.benchmarks.throughput.RunResult;
import dev.tributary.benchmarks.throughput.StreamsSettings;

/**
 * The results as Markdown tables, with what they were measured on and how.
 */
final class MarkdownReport {

	static final double THROUGHPUT_GOAL = 0.98;

	/**
	 * HTTP lookups/s of a local owner at 16 clients before issue 14, against which its goal
	 * (2x) is checked: the median of the 8 rounds of the two baseline runs of 2026-11-23 in
	 * docs/benchmarks.md. On a shared machine a rerun of the baseline right before the
	 * candidate is the fairer comparison.
	 */
	static final double QUERY_BASELINE_LOCAL_16 = 5_424;

	/**
	 * HTTP lookups/s forwarded to the owner at 16 clients before issue 14, as above.
	 */
	static final double QUERY_BASELINE_FORWARDED_16 = 1_810;


	private final Machine machine;

	private final Options options;

	private final int partitions;

	private final String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));

	private List<CaseResult> throughput;

	private CaseResult noiseFloor;

	private List<QueryResult> queries;

	private List<StartupResult> startup;

	private Duration wallClock;

	private final String loadAtStart = Machine.loadAverage();

	MarkdownReport(Machine machine, Options options, int partitions) {
		this.machine = machine;
		this.options = options;
		this.partitions = partitions;
	}

	void throughput(List<CaseResult> results) {
		this.throughput = results;
	}

	void noiseFloor(CaseResult result) {
		this.noiseFloor = result;
	}

	void queries(List<QueryResult> results) {
		this.queries = results;
	}

	void startup(List<StartupResult> results) {
		this.startup = results;
	}

	void wallClock(Duration duration) {
		this.wallClock = duration;
	}

	String render() {
		StringBuilder md = new StringBuilder();
		md.append("# Tributary benchmark results\n\n");
		line(md, "- Measured %s on %s.", this.date, this.machine.describe());
		line(md, "- One in-process KRaft broker (Tributary's dev broker), %d partitions per topic; "
				+ "`num.stream.threads=%d`, `commit.interval.ms=%d`, everything else Kafka Streams' defaults, "
				+ "identical for both variants.", this.partitions, StreamsSettings.THREADS,
				StreamsSettings.COMMIT_INTERVAL_MS);
		line(md, "- Whole run: %d min %02d s (scale %s). Load average (1 min) when it started %s, when it ended %s: "
				+ "with %d processors, more than about %d means other processes competed for the CPU.",
				this.wallClock.toMinutes(), this.wallClock.toSecondsPart(), trim(this.options.scale()), this.loadAtStart,
				Machine.loadAverage(), this.machine.processors(), this.machine.processors());
		md.append('\n');
		if (this.throughput != null) {
			renderThroughput(md);
		}
		if (this.queries != null) {
			renderQueries(md);
		}
		if (this.startup != null) {
			renderStartup(md);
		}
		return md.toString();
	}

	private void renderThroughput(StringBuilder md) {
		CaseResult first = this.throughput.get(0);
		md.append("## Throughput\n\n");
		line(md, "Records per second while processing: from the instance's first `RUNNING` until all input is "
				+ "committed. Median (min-max) of %d rounds; each round runs both variants back to back, the order "
				+ "alternating. Ratios are %s / %s per round, median (min-max); goal >= %.2f. "
				+ "*With start-up*: the same ratio timed from `KafkaStreams.start()`. *CPU*: the ratio of process "
				+ "CPU time per record, which varies far less than wall-clock rates when other processes load the "
				+ "machine.", this.options.rounds(), first.candidateName(), first.baselineName(), THROUGHPUT_GOAL);
		md.append('\n');
		throughputHeader(md, first.baselineName(), first.candidateName(), "ratio");
		for (CaseResult result : this.throughput) {
			throughputRow(md, result, true);
		}
		md.append('\n');
		if (this.throughput.size() > 1) {
			List<Double> ratios = new ArrayList<>();
			List<Double> cpu = new ArrayList<>();
			for (CaseResult result : this.throughput) {
				ratios.addAll(result.ratios(RunResult::rateFromRunning));
				cpu.addAll(result.ratios(RunResult::cpuMicrosPerRecord));
			}
			line(md, "All %d rounds pooled: ratio median **%.3f** (interquartile range %.3f-%.3f), CPU per record "
					+ "median %.3f. One machine-wide figure, steadier than any single row.", ratios.size(),
					Stats.median(ratios), Stats.percentile(ratios, 25), Stats.percentile(ratios, 75),
					Stats.median(cpu));
			md.append('\n');
		}
		if (this.noiseFloor != null) {
			md.append("Noise floor: plain Kafka Streams against itself, measured the same way in the same run. "
					+ "Ratios further from 1 than these are not explained by the machine alone.\n\n");
			throughputHeader(md, "plain Kafka Streams", "plain Kafka Streams again", "ratio");
			throughputRow(md, this.noiseFloor, false);
			md.append('\n');
		}
	}

	private static void throughputHeader(StringBuilder md, String baseline, String candidate, String ratio) {
		line(md, "| topology | guarantee | records | %s (rec/s) | %s (rec/s) | %s |%s with start-up | CPU |",
				baseline, candidate, ratio, " goal |");
		md.append("|---|---|--:|--:|--:|--:|---|--:|--:|\n");
	}

	private static void throughputRow(StringBuilder md, CaseResult result, boolean withGoal) {
		ToDoubleFunction<RunResult> rate = RunResult::rateFromRunning;
		double ratio = result.medianRatio(rate);
		String goal = !withGoal ? "" : (ratio >= THROUGHPUT_GOAL) ? "met" : "not met";
		line(md, "| %s | `%s` | %,d | %s | %s | **%.3f** (%.3f-%.3f) | %s | %.3f | %.3f |",
				result.workload().description(), result.guarantee().config(), result.records(),
				rates(result.baseline(rate)), rates(result.candidate(rate)), ratio, Stats.min(result.ratios(rate)),
				Stats.max(result.ratios(rate)), goal, result.medianRatio(RunResult::rateFromStart),
				result.medianRatio(RunResult::cpuMicrosPerRecord));
	}

	private void renderQueries(StringBuilder md) {
		QuerySettings settings = this.options.queries();
		md.append("## Interactive queries\n\n");
		line(md, "Key lookups of random words (all in the store) in the word-count store (RocksDB, 4 partitions), "
				+ "closed loop: each client thread sends its next lookup when the previous one is answered. The direct "
				+ "paths ask one instance holding every partition, one client. The HTTP paths "
				+ "(`GET /actuator/statestores/{processor}/{store}?key=K`, no credentials, JDK `HttpClient` over "
				+ "HTTP/1.1 with kept-alive connections) and the Java API (`StateStoreQueryService.get`, in the asked "
				+ "instance's JVM) ask the first of two web instances sharing the partitions, for words it owns "
				+ "(local owner) and words the other owns (forwarded). Median (min-max) of %d rounds, %s s measured "
				+ "after %s s of warm-up each, the order reversed every other round; both instances, the broker and "
				+ "the clients share one JVM and the machine's cores.", settings.rounds(),
				trim(settings.measurement().toMillis() / 1000.0), trim(settings.warmUp().toMillis() / 1000.0));
		md.append('\n');
		md.append("CPU: *client* is the client threads (for HTTP also the HTTP client's own threads; for the Java API "
				+ "they run the query themselves); *server* is the rest of the JVM (both instances, the broker, GC, JIT), "
				+ "per lookup; cores: 1.0 is one processor busy; *other processes* is what the rest of the machine "
				+ "used meanwhile, which the rates and latencies suffer from and the CPU per lookup much less.\n\n");
		md.append("| query path | clients | lookups/s | p50 (us) | p99 (us) | server CPU per lookup (us) "
				+ "| client CPU per lookup (us) | client CPU (cores) | other processes (cores) |\n");
		md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		Map<String, List<QueryResult>> cases = queryCases();
		cases.values().forEach((rounds) -> line(md, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |",
				rounds.get(0).description(), rounds.get(0).clients(), range(rounds, QueryResult::lookupsPerSecond, "%,.0f"),
				range(rounds, QueryResult::p50Micros, "%,.0f"), range(rounds, QueryResult::p99Micros, "%,.0f"),
				range(rounds, QueryResult::serverCpuMicrosPerLookup, "%,.1f"),
				range(rounds, QueryResult::clientCpuMicrosPerLookup, "%,.1f"), range(rounds, QueryResult::clientCores, "%.2f"),
				range(rounds, (result) -> result.cpu().otherProcesses(), "%.2f")));
		md.append('\n');
		md.append("Every round:\n\n");
		md.append("| query path | clients | lookups/s by round | p99 (us) by round |\n");
		md.append("|---|--:|---|---|\n");
		cases.values().forEach((rounds) -> line(md, "| %s | %d | %s | %s |", rounds.get(0).description(),
				rounds.get(0).clients(), each(rounds, QueryResult::lookupsPerSecond), each(rounds, QueryResult::p99Micros)));
		md.append('\n');
		renderQueryGoals(md, cases);
	}

	/**
	 * The goals of issue 14, where this run measured what they need.
	 */
	private void renderQueryGoals(StringBuilder md, Map<String, List<QueryResult>> cases) {
		List<String> goals = new ArrayList<>();
		List<QueryResult> local16 = cases.get(caseKey(HttpQueryStage.HTTP_LOCAL, 16));
		List<QueryResult> forwarded16 = cases.get(caseKey(HttpQueryStage.HTTP_FORWARDED, 16));
		if (local16 != null && !Double.isNaN(QUERY_BASELINE_LOCAL_16)) {
			double rate = median(local16, QueryResult::lookupsPerSecond);
			goals.add(String.format(Locale.ROOT, "HTTP local owner, 16 clients: %,.0f lookups/s = %.2fx the baseline "
					+ "%,.0f (goal >= 2x: %s)", rate, rate / QUERY_BASELINE_LOCAL_16, QUERY_BASELINE_LOCAL_16,
					(rate >= 2 * QUERY_BASELINE_LOCAL_16) ? "met" : "not met"));
		}
		if (forwarded16 != null && !Double.isNaN(QUERY_BASELINE_FORWARDED_16)) {
			double rate = median(forwarded16, QueryResult::lookupsPerSecond);
			goals.add(String.format(Locale.ROOT, "HTTP forwarded, 16 clients: %,.0f lookups/s = %.2fx the baseline "
					+ "%,.0f (goal >= 2x: %s)", rate, rate / QUERY_BASELINE_FORWARDED_16, QUERY_BASELINE_FORWARDED_16,
					(rate >= 2 * QUERY_BASELINE_FORWARDED_16) ? "met" : "not met"));
		}
		List<QueryResult> local1 = cases.get(caseKey(HttpQueryStage.HTTP_LOCAL, 1));
		List<QueryResult> forwarded1 = cases.get(caseKey(HttpQueryStage.HTTP_FORWARDED, 1));
		if (local1 != null) {
			double p99 = median(local1, QueryResult::p99Micros) / 1000;
			goals.add(String.format(Locale.ROOT, "HTTP local owner, 1 client: p99 %.2f ms (goal < 2 ms: %s)", p99,
					(p99 < 2) ? "met" : "not met"));
			if (forwarded1 != null) {
				double forwarded = median(forwarded1, QueryResult::p99Micros) / 1000;
				goals.add(String.format(Locale.ROOT, "HTTP forwarded, 1 client: p99 %.2f ms = %.2fx local (goal < 2x: %s)",
						forwarded, forwarded / p99, (forwarded < 2 * p99) ? "met" : "not met"));
			}
		}
		if (!goals.isEmpty()) {
			md.append("Goals (issue 14, medians):\n\n");
			goals.forEach((goal) -> md.append("- ").append(goal).append('\n'));
			md.append('\n');
		}
	}

	/**
	 * The results by path and client count, each with its rounds: the direct paths first,
	 * then by client count, in the order measured.
	 */
	private Map<String, List<QueryResult>> queryCases() {
		List<QueryResult> ordered = new ArrayList<>(this.queries);
		ordered.sort(Comparator.comparing((QueryResult result) -> !result.description().startsWith("direct"))
			.thenComparingInt(QueryResult::clients));
		Map<String, List<QueryResult>> cases = new LinkedHashMap<>();
		for (QueryResult result : ordered) {
			cases.computeIfAbsent(caseKey(result.description(), result.clients()), (key) -> new ArrayList<>())
				.add(result);
		}
		cases.values().forEach((rounds) -> rounds.sort(Comparator.comparingInt(QueryResult::round)));
		return cases;
	}

	private static String caseKey(String description, int clients) {
		return description + " @" + clients;
	}

	private static double median(List<QueryResult> rounds, ToDoubleFunction<QueryResult> metric) {
		return Stats.median(rounds.stream().map(metric::applyAsDouble).toList());
	}

	private static String range(List<QueryResult> rounds, ToDoubleFunction<QueryResult> metric, String format) {
		List<Double> values = rounds.stream().map(metric::applyAsDouble).toList();
		return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", Stats.median(values),
				Stats.min(values), Stats.max(values));
	}

	private static String each(List<QueryResult> rounds, ToDoubleFunction<QueryResult> metric) {
		return rounds.stream()
			.map((result) -> String.format(Locale.ROOT, "%,.0f", metric.applyAsDouble(result)))
			.collect(Collectors.joining(", "));
	}

	private void renderStartup(StringBuilder md) {
		md.append("## Start-up\n\n");
		int launches = this.startup.get(0).runningMillis().size();
		line(md, "Child JVMs (`java -jar`), timed from process launch; median (min-max) of %d launches each, "
				+ "alternating, against the running broker with fresh application ids.", launches);
		md.append('\n');
		md.append("| application | Spring Boot \"Started\" (ms) | all processors RUNNING (ms) |\n");
		md.append("|---|--:|--:|\n");
		for (StartupResult result : this.startup) {
			line(md, "| %s | %s | %s |", result.app(), millis(result.contextStartedMillis()),
					millis(result.runningMillis()));
		}
		if (this.startup.size() == 2) {
			double tributary = Stats.median(this.startup.get(0).runningMillis());
			double plain = Stats.median(this.startup.get(1).runningMillis());
			md.append('\n');
			line(md, "Tributary / plain, medians to RUNNING: **%.2f** (%+,.0f ms).", tributary / plain, tributary - plain);
		}
		md.append('\n');
	}

	private static String rates(List<Double> rates) {
		return String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", Stats.median(rates), Stats.min(rates),
				Stats.max(rates));
	}

	private static String millis(List<Double> millis) {
		return String.format(Locale.ROOT, "%,.0f (%,.0f-%,.0f)", Stats.median(millis), Stats.min(millis),
				Stats.max(millis));
	}

	private static String trim(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.valueOf(value);
	}

	private static void line(StringBuilder md, String format, Object... args) {
		md.append(String.format(Locale.ROOT, format, args)).append('\n');
	}

}
