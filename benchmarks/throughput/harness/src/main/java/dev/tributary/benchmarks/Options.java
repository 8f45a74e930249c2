package dev.tributary.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.tributary.benchmarks.queries.QuerySettings;
import dev.tributary.benchmarks.throughput.Guarantee;
import dev.tributary.benchmarks.throughput.Workload;

/**
 * The harness's command-line options, {@code --name=value}.
 *
 * @param stages which stages run: {@code throughput}, {@code queries}, {@code startup}
 * @param workloads which topologies the throughput stage measures
 * @param guarantees at which processing guarantees
 * @param noiseFloor whether to measure plain Kafka Streams against itself too
 * @param baseline what Tributary is compared against: {@code plain} Kafka Streams, or
 * {@code tributary} itself (to find out what a setting costs)
 * @param candidateProperties Spring Boot properties added to the Tributary application,
 * to find out what they cost
 * @param rounds rounds per throughput case; each round runs both variants once
 * @param scale multiplies every record count (below 1 for a quick smoke run)
 * @param startupRuns launches per application in the start-up stage
 * @param sampleJar the packaged word-count sample
 * @param plainJar the packaged plain word-count application
 * @param output where the Markdown results are written
 * @param workDir where state directories go; deleted at the end
 * @param queries how the interactive-query stage measures
 */
record Options(List<String> stages, List<Workload> workloads, List<Guarantee> guarantees, boolean noiseFloor,
		String baseline, Map<String, String> candidateProperties, int rounds, double scale, int startupRuns,
		Path sampleJar, Path plainJar, Path output, Path workDir, QuerySettings queries) {

	private static final List<String> STAGES = List.of("throughput", "queries", "startup");

	private static final List<String> BASELINES = List.of("plain", "tributary");

	static Options parse(String[] args) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("stages", String.join(",", STAGES));
		values.put("workloads", names(List.of(Workload.values()), Workload::id));
		values.put("guarantees", names(List.of(Guarantee.values()), Guarantee::config));
		values.put("noise-floor", "true");
		values.put("baseline", "plain");
		values.put("candidate-properties", "");
		values.put("rounds", "4");
		values.put("scale", "1");
		values.put("startup-runs", "4");
		values.put("sample-jar", "samples/wordcount/target/wordcount.jar");
		values.put("plain-jar", "benchmarks/throughput/plain-wordcount/target/plain-wordcount.jar");
		values.put("output", "benchmarks/throughput/target/results.md");
		values.put("work-dir", "benchmarks/throughput/target/work");
		values.put("query-rounds", "4");
		values.put("query-clients", "1,16");
		values.put("query-seconds", "5");
		values.put("query-profile", "");
		values.put("query-security", "none");
		for (String arg : args) {
			int equals = arg.indexOf('=');
			String name = arg.startsWith("--") && equals > 2 ? arg.substring(2, equals) : null;
			if (name == null || !values.containsKey(name)) {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'; valid: "
						+ values.keySet().stream().map((key) -> "--" + key + "=...").toList());
			}
			values.put(name, arg.substring(equals + 1));
		}
		return new Options(subset("stages", values, STAGES, Function.identity()),
				subset("workloads", values, List.of(Workload.values()), Workload::id),
				subset("guarantees", values, List.of(Guarantee.values()), Guarantee::config),
				Boolean.parseBoolean(values.get("noise-floor")),
				subset("baseline", values, BASELINES, Function.identity()).get(0),
				properties(values.get("candidate-properties")), Integer.parseInt(values.get("rounds")),
				Double.parseDouble(values.get("scale")), Integer.parseInt(values.get("startup-runs")),
				Path.of(values.get("sample-jar")), Path.of(values.get("plain-jar")), Path.of(values.get("output")),
				Path.of(values.get("work-dir")), querySettings(values));
	}

	private static QuerySettings querySettings(Map<String, String> values) {
		List<Integer> clients = new ArrayList<>();
		for (String count : values.get("query-clients").split(",")) {
			int parsed = Integer.parseInt(count.trim());
			if (parsed < 1) {
				throw new IllegalArgumentException("--query-clients takes client counts of 1 or more, not " + parsed);
			}
			clients.add(parsed);
		}
		Duration measurement = Duration.ofMillis(Math.round(Double.parseDouble(values.get("query-seconds")) * 1000));
		// 2 s of warm-up for 5 s measured, never less than 1 s: Tomcat, the JIT and the
		// client's connections settle.
		Duration warmUp = Duration.ofMillis(Math.max(1000, measurement.toMillis() * 2 / 5));
		String profile = values.get("query-profile");
		String security = subset("query-security", values, List.of("none", "sample"), Function.identity()).get(0);
		return new QuerySettings(Integer.parseInt(values.get("query-rounds")), List.copyOf(clients), warmUp,
				measurement, profile.isBlank() ? null : Path.of(profile), security.equals("sample"));
	}

	/**
	 * The elements named in a comma-separated option, in the order given.
	 */
	private static <T> List<T> subset(String option, Map<String, String> values, List<T> all,
			Function<T, String> name) {
		List<T> chosen = new ArrayList<>();
		for (String given : values.get(option).split(",")) {
			chosen.add(all.stream()
				.filter((element) -> name.apply(element).equals(given.trim()))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("--" + option + " takes one or more of "
						+ names(all, name) + " (comma-separated), not '" + given + "'")));
		}
		return chosen;
	}

	private static <T> String names(List<T> all, Function<T, String> name) {
		return all.stream().map(name).collect(Collectors.joining(","));
	}

	private static Map<String, String> properties(String option) {
		Map<String, String> properties = new LinkedHashMap<>();
		Stream.of(option.split(";")).filter((pair) -> !pair.isBlank()).forEach((pair) -> {
			int equals = pair.indexOf('=');
			if (equals < 1) {
				throw new IllegalArgumentException("--candidate-properties takes key=value pairs separated by ';', not '"
						+ pair + "'");
			}
			properties.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
		});
		return properties;
	}

	boolean runs(String stage) {
		return this.stages.contains(stage);
	}

	int scaled(int records) {
		return Math.max(1000, (int) Math.round(records * this.scale));
	}

}
