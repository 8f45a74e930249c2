package dev.tributary.samples.gettingstarted;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Walks docs/getting-started.md as written. This module's sources are the guide's
 * snippets and nothing else (checked first); then the application runs in a JVM of its
 * own, twice on the same directories, and everything the guide shows is checked: its
 * commands and their answers, the lines of its log, the endpoints it promises, the state
 * kept across the restart, and a short log without the warnings a first start used to
 * print.
 */
class GettingStartedGuideTests {

	private static final Path REPOSITORY = Path.of("").toAbsolutePath().resolve("../..").normalize();

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(90);

	private static final List<String> PROCESSORS = List.of("word-count", "activity");

	/** What a first start logged before (issue 15), and must not again. */
	private static final List<String> NOISE = List.of("TaskCorruptedException", "OffsetOutOfRangeException",
			"UNKNOWN_TOPIC_OR_PARTITION", "Explicit naming", "Attempting to close NetworkClient that has already been closed",
			"were supplied but are not used yet", "glibc", "Config values:");

	/** A line of Spring Boot's console format logged at WARN or ERROR. */
	private static final Pattern WARNING = Pattern.compile("^\\S+\\s+(WARN|ERROR) ");

	/** The most lines a first start, the guide's walk and the shutdown may log. */
	private static final int MAX_LOG_LINES = 60;

	private static final HttpClient http = HttpClient.newHttpClient();

	private static Guide guide;

	@BeforeAll
	static void readTheGuide() throws IOException {
		guide = Guide.read(REPOSITORY.resolve("docs/getting-started.md"));
	}

	@Test
	void theApplicationIsBuiltFromTheGuidesSnippetsAndNothingElse() throws IOException {
		List<Guide.Block> files = guide.ofKind("file");
		assertThat(files).extracting(Guide.Block::name).doesNotHaveDuplicates();
		for (Guide.Block file : files) {
			Path path = REPOSITORY.resolve(file.name());
			assertThat(path).as("docs/getting-started.md:%d names %s", file.line(), file.name()).exists();
			List<String> lines = Files.readAllLines(path);
			int at = indexOf(lines, file.lines());
			assertThat(at).as("%s contains the guide's block at line %d as written (up to its indentation)",
					file.name(), file.line()).isNotNegative();
			if (file.name().endsWith(".java")) {
				List<String> rest = new ArrayList<>(lines.subList(0, at));
				rest.addAll(lines.subList(at + file.lines().size(), lines.size()));
				assertThat(rest).as("%s has nothing but the guide's block, its package and imports", file.name())
					.allMatch((line) -> line.isBlank() || line.startsWith("package ") || line.startsWith("import "));
			}
			else if (file.name().endsWith(".yml")) {
				assertThat(lines).as(file.name() + " is the guide's block").isEqualTo(file.lines());
			}
		}
		List<String> named = files.stream().map(Guide.Block::name).toList();
		try (Stream<Path> sources = Files.walk(Path.of("src/main"))) {
			assertThat(sources.filter(Files::isRegularFile)
				.map((source) -> "samples/getting-started/" + source.toString().replace('\\', '/'))
				.toList()).as("every file of the application is in the guide").allMatch(named::contains);
		}
	}

	@Test
	void walksTheGuideFromTheFirstStartToARestartThatKeepsTheState(@TempDir Path project) throws Exception {
		List<String> firstLog;
		try (RunningApplication app = RunningApplication.start(project, "first-start.log")) {
			app.awaitRunning(START_TIMEOUT, PROCESSORS, 1);
			for (Guide.Block walk : guide.walk("")) {
				run(walk, app.port());
			}
			assertPromisedEndpoints(app.port());
			app.stop(START_TIMEOUT);
			firstLog = app.logLines();
		}
		for (Guide.Block excerpt : guide.ofKind("log")) {
			for (String line : excerpt.lines()) {
				Pattern pattern = logPattern(line);
				assertThat(firstLog).as("the first start logs, as docs/getting-started.md:%d shows: %s", excerpt.line(),
						line).anyMatch((logged) -> pattern.matcher(logged).find());
			}
		}
		System.out.println("The first start, the guide's walk and the shutdown logged " + firstLog.size() + " lines");
		assertQuiet(firstLog, "first start");
		assertThat(firstLog).as("the first start's log has at most %d lines:\n%s", MAX_LOG_LINES,
				String.join("\n", firstLog)).hasSizeLessThanOrEqualTo(MAX_LOG_LINES);
		assertThat(firstLog).anyMatch((line) -> line.contains("Stopped the Tributary dev broker"));
		assertThat(project.resolve("target/wordcount-state/tributary-dev-broker/meta.properties"))
			.as("the dev broker's data, inside the state directory by default").exists();

		try (RunningApplication app = RunningApplication.start(project, "restart.log")) {
			app.awaitRunning(START_TIMEOUT, PROCESSORS, 1);
			for (Guide.Block walk : guide.walk("restart")) {
				run(walk, app.port());
			}
			app.stop(START_TIMEOUT);
			List<String> restartLog = app.logLines();
			assertQuiet(restartLog, "restart");
			assertThat(restartLog).as("the restart found its state in step with the broker's data")
				.noneMatch((line) -> line.contains("belongs to another Kafka cluster")
						|| line.contains("restoring store"));
		}
	}

	/**
	 * What the guide says the application has: health with a {@code streams} component of
	 * every processor, and the two endpoints listing them.
	 */
	private static void assertPromisedEndpoints(int port) throws Exception {
		String health = get(port, "/actuator/health").body();
		for (String processor : PROCESSORS) {
			assertThat(JsonPath.<String>read(health, "$.components.streams.details['" + processor + "'].state"))
				.as(health)
				.isEqualTo("RUNNING");
		}
		assertThat(JsonPath.<String>read(health, "$.components.streams.status")).isEqualTo("UP");
		String streams = get(port, "/actuator/streams").body();
		assertThat(JsonPath.<List<String>>read(streams, "$.processors[*].name")).as(streams)
			.containsExactlyInAnyOrderElementsOf(PROCESSORS);
		String stores = get(port, "/actuator/statestores").body();
		assertThat(JsonPath.<List<String>>read(stores, "$.processors[*].stores[*].name")).as(stores)
			.containsExactlyInAnyOrder("word-counts", "activity-per-user");
		// Development exposes the streams endpoint read-only: its actions stay off.
		HttpResponse<String> pause = http.send(new Curl("pause", "POST", "/actuator/streams/word-count",
				Map.of("Content-Type", "application/json"), "{\"action\":\"pause\"}", null).request(port),
				HttpResponse.BodyHandlers.ofString());
		assertThat(pause.statusCode()).as(pause.body()).isIn(404, 405);
	}

	private static void assertQuiet(List<String> log, String which) {
		// Spring MVC's warning about the test's own POST to the read-only endpoint; and a
		// race inside Kafka's consumer while it closes (an offset answer arriving after its
		// partitions were given up), which a shutdown may or may not log.
		List<String> application = log.stream()
			.filter((line) -> !line.contains("HttpRequestMethodNotSupportedException"))
			.filter((line) -> !(line.contains("OffsetFetcherUtils") && line.contains("as it is no longer assigned")))
			.toList();
		for (String noise : NOISE) {
			assertThat(application).as("the %s logs no '%s':\n%s", which, noise, String.join("\n", log))
				.noneMatch((line) -> line.contains(noise));
		}
		assertThat(application).as("the %s logs no warning:\n%s", which, String.join("\n", log))
			.noneMatch((line) -> WARNING.matcher(line).find());
	}

	/**
	 * Runs a walk's commands in order. A command with an answer is asked again until it
	 * answers that (the processors take a moment); one without must succeed.
	 */
	private static void run(Guide.Block walk, int port) throws Exception {
		for (Curl curl : Curl.parse(walk.lines())) {
			AtomicReference<String> problem = new AtomicReference<>();
			try {
				await().atMost(ANSWER_TIMEOUT)
					.pollDelay(Duration.ZERO)
					.pollInterval(Duration.ofMillis(250))
					.until(() -> {
						HttpResponse<String> response = http.send(curl.request(port),
								HttpResponse.BodyHandlers.ofString());
						problem.set(problem(curl, response, port));
						return problem.get() == null;
					});
			}
			catch (ConditionTimeoutException ex) {
				fail("docs/getting-started.md:%d: %s\n%s", walk.line(), curl.command(), problem.get());
			}
		}
	}

	private static String problem(Curl curl, HttpResponse<String> response, int port) {
		if (response.statusCode() / 100 != 2) {
			return "answered " + response.statusCode() + ": " + response.body();
		}
		if (curl.expected() == null) {
			return null;
		}
		String expected = curl.expected().replace(":8080", ":" + port);
		if (!expected.startsWith("{")) {
			return expected.equals(response.body().trim()) ? null
					: "answered " + response.body() + ", the guide shows " + expected;
		}
		// '…' stands for anything: a value of its own, or any characters within a string.
		Object wanted = JsonPath.read(expected.replace(":…", ":null"), "$");
		Object actual = JsonPath.read(response.body(), "$");
		return matches(wanted, actual) ? null : "answered " + response.body() + ", the guide shows " + expected;
	}

	private static boolean matches(Object wanted, Object actual) {
		if (wanted == null) {
			return actual != null;
		}
		if (wanted instanceof Map<?, ?> fields) {
			return actual instanceof Map<?, ?> actualFields && actualFields.keySet().equals(fields.keySet())
					&& fields.entrySet().stream().allMatch((field) -> matches(field.getValue(), actualFields.get(field.getKey())));
		}
		if (wanted instanceof Number number) {
			return actual instanceof Number actualNumber && number.doubleValue() == actualNumber.doubleValue();
		}
		if (wanted instanceof String text && text.contains("…")) {
			return actual instanceof String actualText && actualText.matches(wildcards(text));
		}
		return wanted.equals(actual);
	}

	private static Pattern logPattern(String line) {
		return Pattern.compile(wildcards(line).replaceAll("\\d+", "\\\\E\\\\d+\\\\Q"));
	}

	/** The text as a regular expression, '…' matching any characters. */
	private static String wildcards(String text) {
		return Pattern.quote(text).replace("…", "\\E.*\\Q");
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		HttpResponse<String> response = http.send(new Curl(path, "GET", path, Map.of(), null, null).request(port),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return response;
	}

	/**
	 * Where the lines appear in the file, each with the same indentation added; -1 when
	 * they do not.
	 */
	private static int indexOf(List<String> file, List<String> block) {
		for (int start = 0; start + block.size() <= file.size(); start++) {
			String first = file.get(start);
			if (!first.trim().equals(block.get(0).trim()) || !first.endsWith(block.get(0))) {
				continue;
			}
			String indent = first.substring(0, first.length() - block.get(0).length());
			boolean all = true;
			for (int i = 0; i < block.size() && all; i++) {
				String expected = block.get(i).isEmpty() ? "" : indent + block.get(i);
				all = file.get(start + i).equals(expected);
			}
			if (all) {
				return start;
			}
		}
		return -1;
	}

}
