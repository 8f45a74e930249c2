package dev.tributary.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
 */
record Options(Set<String> stages, List<Workload> workloads, List<Guarantee> guarantees, boolean noiseFloor, String baseline,
		Map<String, String> candidateProperties, int rounds, double scale, int startupRuns,
		Path sampleJar, Path plainJar, Path output, Path workDir) {

	static final List<String> ALL_STAGES = List.of("throughput", "queries", "startup");

	static Options parse(String[] args) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("stages", String.join(",", ALL_STAGES));
		values.put("workloads", Arrays.stream(Workload.values()).map(Workload::id).collect(Collectors.joining(",")));
		values.put("guarantees", Arrays.stream(Guarantee.values()).map(Guarantee::config).collect(Collectors.joining(",")));
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
		for (String arg : args) {
			int equals = arg.indexOf('=');
			String name = arg.startsWith("--") && equals > 2 ? arg.substring(2, equals) : null;
			if (name == null || !values.containsKey(name)) {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'; valid: "
						+ values.keySet().stream().map((key) -> "--" + key + "=...").toList());
			}
			values.put(name, arg.substring(equals + 1));
		}
		Set<String> stages = Set.of(values.get("stages").split(","));
		if (!ALL_STAGES.containsAll(stages)) {
			throw new IllegalArgumentException("--stages takes a comma-separated subset of " + ALL_STAGES);
		}
		List<Workload> workloads = new ArrayList<>();
		for (String id : values.get("workloads").split(",")) {
			workloads.add(Arrays.stream(Workload.values())
				.filter((workload) -> workload.id().equals(id))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("--workloads takes a comma-separated subset of "
						+ Arrays.stream(Workload.values()).map(Workload::id).toList() + ", not '" + id + "'")));
		}
		if (!List.of("plain", "tributary").contains(values.get("baseline"))) {
			throw new IllegalArgumentException("--baseline is 'plain' or 'tributary', not '" + values.get("baseline") + "'");
		}
		Map<String, String> candidateProperties = new LinkedHashMap<>();
		for (String property : values.get("candidate-properties").split(";")) {
			int equals = property.indexOf('=');
			if (equals > 0) {
				candidateProperties.put(property.substring(0, equals).trim(), property.substring(equals + 1).trim());
			}
			else if (!property.isBlank()) {
				throw new IllegalArgumentException("--candidate-properties takes key=value pairs separated by ';'");
			}
		}
		List<Guarantee> guarantees = new ArrayList<>();
		for (String config : values.get("guarantees").split(",")) {
			guarantees.add(Arrays.stream(Guarantee.values())
				.filter((guarantee) -> guarantee.config().equals(config))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("--guarantees takes a comma-separated subset of "
						+ Arrays.stream(Guarantee.values()).map(Guarantee::config).toList() + ", not '" + config + "'")));
		}
		return new Options(stages, workloads, guarantees, Boolean.parseBoolean(values.get("noise-floor")), values.get("baseline"),
				candidateProperties, Integer.parseInt(values.get("rounds")),
				Double.parseDouble(values.get("scale")), Integer.parseInt(values.get("startup-runs")),
				Path.of(values.get("sample-jar")), Path.of(values.get("plain-jar")), Path.of(values.get("output")),
				Path.of(values.get("work-dir")));
	}

	boolean runs(String stage) {
		return this.stages.contains(stage);
	}

	int scaled(int records) {
		return Math.max(1000, (int) Math.round(records * this.scale));
	}

}
