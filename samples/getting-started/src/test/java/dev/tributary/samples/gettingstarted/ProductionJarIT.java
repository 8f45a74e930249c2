package dev.tributary.samples.gettingstarted;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar {@code mvn package} builds from the guide's dependencies, as it would be
 * deployed: Spring Boot's repackage leaves the optional broker out.
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

}
