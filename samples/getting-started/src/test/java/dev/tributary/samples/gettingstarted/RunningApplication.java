package dev.tributary.samples.gettingstarted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The guide's application in a JVM of its own, started as {@code mvn spring-boot:run}
 * would (its runtime classpath, the optional broker included) in a working directory of
 * the test's, so its relative {@code target/wordcount-state} is the test's too. Only the
 * ports differ from the guide: both random, so that it does not collide with anything
 * else on the machine.
 */
final class RunningApplication implements AutoCloseable {

	private static final Pattern TOMCAT_PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final Path log;

	private int port;

	private RunningApplication(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	static RunningApplication start(Path workingDirectory, String logName) throws IOException {
		Path module = Path.of("").toAbsolutePath();
		String classpath = module.resolve("target/classes") + java.io.File.pathSeparator
				+ Files.readString(module.resolve("target/runtime-classpath.txt")).trim();
		Path log = workingDirectory.resolve(logName);
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx384m", "-cp", classpath, WordCountApplication.class.getName(), "--server.port=0",
				"--tributary.dev-broker.port=0"));
		Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new RunningApplication(process, log);
	}

	/**
	 * Waits until the web server has started and the log shows each processor's
	 * {@code RUNNING} as often as it has been started.
	 */
	RunningApplication awaitRunning(Duration timeout, List<String> processors, int starts) throws IOException {
		try {
			await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(
							"The application exited (" + this.process.exitValue() + "):\n" + log());
				}
				String log = log();
				Matcher tomcat = TOMCAT_PORT.matcher(log);
				if (tomcat.find() && processors.stream()
					.allMatch((name) -> count(log, "Processor '" + name + "': REBALANCING -> RUNNING") >= starts)) {
					this.port = Integer.parseInt(tomcat.group(1));
					return true;
				}
				return false;
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException("The application did not run within " + timeout + ":\n" + log());
		}
		return this;
	}

	int port() {
		return this.port;
	}

	String log() throws IOException {
		return Files.exists(this.log) ? Files.readString(this.log) : "";
	}

	List<String> logLines() throws IOException {
		return log().lines().toList();
	}

	/**
	 * Stops it as Ctrl+C or a container runtime would: SIGTERM, then waits for the
	 * graceful shutdown.
	 */
	void stop(Duration timeout) throws Exception {
		this.process.destroy();
		if (!this.process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			throw new IllegalStateException("The application did not stop within " + timeout + ":\n" + log());
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	private static int count(String text, String part) {
		return text.split(Pattern.quote(part), -1).length - 1;
	}

}
