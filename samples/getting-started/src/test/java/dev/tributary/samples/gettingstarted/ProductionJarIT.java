package dev.tributary.samples.gettingstarted;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar {@code mvn package} builds from the guide's dependencies, as it would be
 * deployed: Spring Boot's repackage leaves the optional broker out, and the jar says so
 * when it is started with the guide's development configuration.
 */
class ProductionJarIT {

	@Test
	void theExecutableJarHasKafkaStreamsButNotTheDevBroker() throws Exception {
		try (JarFile jar = new JarFile(Path.of("target/getting-started.jar").toFile())) {
			List<String> libraries = jar.stream()
				.map(ZipEntry::getName)
				.filter((name) -> name.startsWith("BOOT-INF/lib/"))
				.map((name) -> name.substring("BOOT-INF/lib/".length()))
				.toList();
			assertThat(libraries).anyMatch((name) -> name.startsWith("kafka-streams-"))
				.anyMatch((name) -> name.startsWith("tributary-spring-boot-autoconfigure-"))
				.noneMatch((name) -> name.startsWith("kafka_2.13-"))
				.noneMatch((name) -> name.startsWith("kafka-server-"))
				.noneMatch((name) -> name.startsWith("scala-library-"));
		}
	}

	@Test
	void startedWithTheDevBrokerStillEnabledItFailsAtOnceNamingTheDependency(@TempDir Path workingDirectory)
			throws Exception {
		Path log = workingDirectory.resolve("jar.log");
		Process jar = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				Path.of("target/getting-started.jar").toAbsolutePath().toString(), "--server.port=0")
			.directory(workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			assertThat(jar.waitFor(3, TimeUnit.MINUTES)).as("the jar exits").isTrue();
		}
		finally {
			jar.destroyForcibly();
		}
		String output = Files.readString(log);
		assertThat(jar.exitValue()).as(output).isNotZero();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("tributary.dev-broker.enabled=true needs Kafka's server on the classpath: add the dependency "
					+ "org.apache.kafka:kafka_2.13")
			.doesNotContain("Started the Tributary dev broker");
	}

}
