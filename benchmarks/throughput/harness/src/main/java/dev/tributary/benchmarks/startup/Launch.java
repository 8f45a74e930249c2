package dev.tributary.benchmarks.startup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One launch of an application in a child JVM, timed from just before the process is
 * created until its log reports every processor {@code RUNNING}: both applications log
 * each Kafka Streams state change as {@code "... <old> -> <new>"}.
 */
final class Launch {

	private static final String RUNNING = "-> RUNNING";

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private final StartupApp app;

	private final CountDownLatch running;

	private final Deque<String> lastLines = new ArrayDeque<>();

	private volatile long contextStartedNanos = -1;

	private volatile long runningNanos = -1;

	private Launch(StartupApp app, int processors) {
		this.app = app;
		this.running = new CountDownLatch(processors);
	}

	/**
	 * Launches the application, waits until it is running, then stops it.
	 * @param app the application
	 * @param applicationId a fresh application id
	 * @param stateDir a fresh state directory
	 * @param processors how many processors must report {@code RUNNING}
	 * @return the timings
	 * @throws IOException if the JVM cannot be launched
	 * @throws InterruptedException if interrupted while waiting
	 */
	static Timing run(StartupApp app, String applicationId, Path stateDir, int processors)
			throws IOException, InterruptedException {
		return new Launch(app, processors).run(applicationId, stateDir);
	}

	private Timing run(String applicationId, Path stateDir) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-jar");
		command.add(this.app.jar().toString());
		command.addAll(this.app.arguments().apply(applicationId, stateDir));
		long launched = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Thread reader = new Thread(() -> readLog(process), "startup-log-" + applicationId);
		reader.setDaemon(true);
		reader.start();
		try {
			if (!this.running.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(this.app.name() + " did not report its processors RUNNING within "
						+ TIMEOUT + "; its last output:\n" + lastLines());
			}
			long started = (this.contextStartedNanos > 0) ? this.contextStartedNanos : this.runningNanos;
			return new Timing(millis(started - launched), millis(this.runningNanos - launched));
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
	}

	private void readLog(Process process) {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				long now = System.nanoTime();
				remember(line);
				// Spring Boot: "Started XyzApplication in 2.5 seconds (process running for 3.1)"
				if (this.contextStartedNanos < 0 && line.contains("Started ") && line.contains(" seconds")) {
					this.contextStartedNanos = now;
				}
				if (line.contains(RUNNING) && this.running.getCount() > 0) {
					if (this.running.getCount() == 1) {
						this.runningNanos = now;
					}
					this.running.countDown();
				}
			}
		}
		catch (IOException ex) {
			// the process has ended
		}
	}

	private void remember(String line) {
		synchronized (this.lastLines) {
			this.lastLines.addLast(line);
			if (this.lastLines.size() > 40) {
				this.lastLines.removeFirst();
			}
		}
	}

	private String lastLines() {
		synchronized (this.lastLines) {
			return String.join("\n", this.lastLines);
		}
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	/**
	 * The timings of one launch, in milliseconds after the JVM was launched.
	 * @param contextStartedMillis until Spring Boot logged "Started ..."
	 * @param runningMillis until every processor was RUNNING
	 */
	record Timing(double contextStartedMillis, double runningMillis) {
	}

}
