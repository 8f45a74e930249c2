package dev.tributary.benchmarks;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import dev.tributary.benchmarks.queries.QueryResult;
import dev.tributary.benchmarks.startup.StartupResult;
import dev.tributary.benchmarks.throughput.CaseResult;
import dev.tributary.benchmarks.throughput.RunResult;
import dev.tributary.benchmarks.throughput.StreamsSettings;

/**
 * The results as Markdown tables, with what they were measured on and how.
 */
final class MarkdownReport {

	static final double THROUGHPUT_GOAL = 0.98;

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
		md.append("## Interactive queries\n\n");
		md.append("Point lookups of random words in the word-count store (RocksDB, 4 partitions) from one client "
				+ "thread, closed loop, after the processor has consumed its input. The direct paths query one "
				+ "instance holding every partition; the HTTP paths ask the first of two instances that share the "
				+ "partitions, for words it owns (local) and words the other owns (forwarded).\n\n");
		md.append("| query path | lookups/s | p50 (us) | p99 (us) |\n");
		md.append("|---|--:|--:|--:|\n");
		for (QueryResult result : this.queries) {
			if (result.isPending()) {
				line(md, "| %s | not measured: %s | | |", result.description(), result.pendingReason());
			}
			else {
				line(md, "| %s | %,.0f | %,.1f | %,.1f |", result.description(), result.lookupsPerSecond(),
						result.p50Micros(), result.p99Micros());
			}
		}
		md.append('\n');
		QueryResult local = find("local owner");
		QueryResult forwarded = find("forwarded");
		if (local != null && forwarded != null && !local.isPending() && !forwarded.isPending()) {
			line(md, "Goals: local HTTP p99 %,.2f ms (goal < 5 ms: %s); forwarded p99 %.2fx local (goal <= 2x: %s).",
					local.p99Micros() / 1000.0, (local.p99Micros() < 5000) ? "met" : "not met",
					forwarded.p99Micros() / local.p99Micros(),
					(forwarded.p99Micros() <= 2 * local.p99Micros()) ? "met" : "not met");
			md.append('\n');
		}
	}

	private QueryResult find(String description) {
		return this.queries.stream().filter((result) -> result.description().contains(description)).findFirst()
			.orElse(null);
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
