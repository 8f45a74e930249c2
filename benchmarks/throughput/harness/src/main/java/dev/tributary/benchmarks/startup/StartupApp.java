package dev.tributary.benchmarks.startup;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An application whose start-up is measured: a packaged Spring Boot jar and the
 * arguments that point it at the benchmark's broker with a fresh application id and
 * state directory.
 *
 * @param name the name in the report
 * @param jar the executable jar
 * @param arguments the program arguments for a launch, given a fresh application id and
 * state directory
 */
public record StartupApp(String name, Path jar, BiFunction<String, Path, List<String>> arguments) {

	/**
	 * The word-count sample, on an existing broker instead of its own dev broker, with the
	 * line generator off (the plain app has none).
	 * @param jar the sample's jar
	 * @param bootstrapServers the broker
	 * @return the app
	 */
	public static StartupApp wordCountSample(Path jar, String bootstrapServers) {
		return new StartupApp("word-count sample (Tributary)", jar,
				(applicationId, stateDir) -> List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers,
						"--tributary.dev-broker.enabled=false",
						"--tributary.processors.word-count.application-id=" + applicationId,
						"--tributary.streams.state.dir=" + stateDir, "--wordcount.generator.enabled=false",
						"--server.port=0"));
	}

	/**
	 * The same application without Tributary, its {@code KafkaStreams} built by hand.
	 * @param jar the plain app's jar
	 * @param bootstrapServers the broker
	 * @return the app
	 */
	public static StartupApp plainWordCount(Path jar, String bootstrapServers) {
		return new StartupApp("plain Spring Boot, hand-built KafkaStreams", jar,
				(applicationId, stateDir) -> List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers,
						"--wordcount.application-id=" + applicationId, "--wordcount.state-dir=" + stateDir,
						"--server.port=0"));
	}

}
