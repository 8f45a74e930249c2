package dev.tributary.benchmarks.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.tributary.benchmarks.BenchmarkBroker;

import org.springframework.util.FileSystemUtils;

/**
 * JVM launch to all processors {@code RUNNING}, for the word-count sample and for the
 * same application without Tributary, alternating (A, B, B, A, ...), each launch with a
 * fresh application id and state directory against the benchmark's running broker.
 */
public final class StartupBenchmark {

	/**
	 * The topics the word count reads and writes; created up front so that neither
	 * application creates them.
	 */
	public static final List<String> TOPICS = List.of("lines", "word-count-output");

	private final BenchmarkBroker broker;

	private final Path workDir;

	public StartupBenchmark(BenchmarkBroker broker, Path workDir) {
		this.broker = broker;
		this.workDir = workDir;
	}

	/**
	 * Launches each application once untimed (to warm the page cache), then
	 * {@code runs} times each, alternating.
	 * @param apps the applications, each with one processor
	 * @param runs timed launches per application
	 * @return the timings, one result per application
	 */
	public List<StartupResult> measure(List<StartupApp> apps, int runs) {
		for (StartupApp app : apps) {
			if (!Files.isRegularFile(app.jar())) {
				throw new IllegalStateException("No jar at " + app.jar().toAbsolutePath() + " for " + app.name()
						+ "; build it first (see benchmarks/run)");
			}
		}
		this.broker.createTopics(TOPICS.toArray(String[]::new));
		for (StartupApp app : apps) {
			launch(app, "warmup");
		}
		Map<StartupApp, List<Launch.Timing>> timings = new LinkedHashMap<>();
		apps.forEach((app) -> timings.put(app, new ArrayList<>()));
		for (int round = 0; round < runs; round++) {
			List<StartupApp> order = new ArrayList<>(apps);
			if (round % 2 == 1) {
				Collections.reverse(order);
			}
			for (StartupApp app : order) {
				Launch.Timing timing = launch(app, "r" + round);
				timings.get(app).add(timing);
				System.out.printf(Locale.ROOT, "  %-45s launch %d: context started %,6.0f ms, RUNNING %,6.0f ms%n",
						app.name(), round + 1, timing.contextStartedMillis(), timing.runningMillis());
			}
		}
		List<StartupResult> results = new ArrayList<>();
		timings.forEach((app, list) -> results.add(new StartupResult(app.name(),
				list.stream().map(Launch.Timing::contextStartedMillis).toList(),
				list.stream().map(Launch.Timing::runningMillis).toList())));
		return results;
	}

	private Launch.Timing launch(StartupApp app, String label) {
		String applicationId = "startup-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
		Path stateDir = this.workDir.resolve(applicationId);
		try {
			return Launch.run(app, applicationId, stateDir, 1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			try {
				FileSystemUtils.deleteRecursively(stateDir);
			}
			catch (IOException ex) {
				// best effort: it is under the benchmark's temporary directory
			}
			this.broker.deleteTopicsStartingWith(applicationId);
		}
	}

}
