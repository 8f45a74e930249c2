package dev.tributary.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.tributary.test.InProcessKafkaContextCustomizerFactory.InProcessKafkaSettings;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What the in-process broker leaves behind when a test context does not come up.
 */
class InProcessKafkaContextCustomizerTests {

	@Test
	void closesTheBrokerAndDeletesTheStateDirWhenTheContextFailsToRefresh() {
		GenericApplicationContext context = new GenericApplicationContext();
		// What the application's own configuration sets does not keep the test's overrides away.
		context.getEnvironment()
			.getPropertySources()
			.addLast(new MapPropertySource("application.yml", Map.of("tributary.streams.state.dir", "target/app-state",
					"tributary.streams.commit.interval.ms", "5000")));
		// The test's own property, added as Spring Boot's context loader adds it.
		String testProperty = "tributary.streams.commit.interval.ms=250";
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, testProperty);
		customizer(List.of("lines")).customizeContext(context, mergedConfig(testProperty));
		String bootstrapServers = context.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
		Path stateDir = Path.of(context.getEnvironment().getProperty("tributary.streams.state.dir"));
		assertThat(stateDir.getFileName().toString()).startsWith("tributary-test-state-");
		assertThat(stateDir).isDirectory();
		assertThat(context.getEnvironment().getProperty("tributary.streams.commit.interval.ms")).isEqualTo("250");
		assertThat(listening(bootstrapServers)).isTrue();

		context.addBeanFactoryPostProcessor((beanFactory) -> {
			throw new IllegalStateException("refresh fails before any bean is created");
		});
		assertThatIllegalStateException().isThrownBy(context::refresh);

		assertThat(listening(bootstrapServers)).isFalse();
		assertThat(stateDir).doesNotExist();
	}

	@Test
	void closesTheBrokerWhenTheTopicsCannotBeCreated() throws IOException {
		Set<Path> before = temporaryDirectories();
		GenericApplicationContext context = new GenericApplicationContext();
		assertThatIllegalStateException()
			.isThrownBy(() -> customizer(List.of("not a topic name")).customizeContext(context, mergedConfig()))
			.withMessageContaining("Cannot create topics");
		// A closed broker deletes its temporary data directory, the state directory goes too.
		assertThat(temporaryDirectories()).isSubsetOf(before);
	}

	private static InProcessKafkaContextCustomizer customizer(List<String> topics) {
		return new InProcessKafkaContextCustomizer(new InProcessKafkaSettings(true, topics, 1, 60));
	}

	private MergedContextConfiguration mergedConfig(String... properties) {
		return new MergedContextConfiguration(getClass(), new String[0], new Class<?>[0], null, new String[0],
				List.of(), properties, Set.of(), null, null, null);
	}

	private static boolean listening(String bootstrapServers) {
		String[] hostAndPort = bootstrapServers.split(":");
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Set<Path> temporaryDirectories() throws IOException {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return Set.copyOf(files.filter((file) -> file.getFileName().toString().startsWith("tributary-"))
				.toList());
		}
	}

}
