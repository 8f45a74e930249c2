package dev.tributary.samples.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application in a child JVM with the test's classpath, as a user would run
 * it, so that it can be killed with {@code SIGKILL}: no shutdown hook, no close, a
 * transaction open. Its output goes to {@code target/crash-tests/<name>.log}.
 */
final class ShopProcess {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final Process process;

	private final int port;

	private final Path log;

	private ShopProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	static ShopProcess start(String name, List<String> arguments) throws IOException {
		Path log = Files.createDirectories(Path.of("target", "crash-tests")).resolve(name + ".log");
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				ShopApplication.class.getName(), "--server.port=" + port));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new ShopProcess(process, port, log);
	}

	/**
	 * Kills the application with {@code SIGKILL} ({@link Process#destroyForcibly()} on
	 * Linux) and checks that it died of it.
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		assertThat(this.process.waitFor(10, TimeUnit.SECONDS)).as("%s exited after SIGKILL", this).isTrue();
		// 128 + 9: killed by SIGKILL, not exited on its own
		assertThat(this.process.exitValue()).as("exit status of %s", this).isEqualTo(137);
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * A GET on the application's Actuator.
	 * @param path the path below {@code /actuator}
	 * @return the JSON answer, or {@code null} if the application does not answer 200
	 * (yet)
	 */
	JsonNode get(String path) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator" + path))
						.timeout(Duration.ofSeconds(2))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? json.readTree(response.body()) : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return "the application in " + this.log;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
