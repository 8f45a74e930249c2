package dev.tributary.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tributary.autoconfigure.TributaryProperties;
import dev.tributary.devbroker.DevBroker;
import dev.tributary.test.InProcessKafkaContextCustomizerFactory.InProcessKafkaSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;
import org.springframework.util.FileSystemUtils;

/**
 * Starts a broker for one test application context and points the context at it.
 */
class InProcessKafkaContextCustomizer implements ContextCustomizer {

	static final String BROKER_BEAN_NAME = "tributaryTestBroker";

	private static final String STATE_DIR = "state.dir";

	private static final String COMMIT_INTERVAL = "commit.interval.ms";

	private final InProcessKafkaSettings settings;

	InProcessKafkaContextCustomizer(InProcessKafkaSettings settings) {
		this.settings = settings;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		ConfigurableEnvironment environment = context.getEnvironment();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("tributary.dev-broker.enabled", "false");
		if (!this.settings.enabled()) {
			// No broker: processors are built (and validated) but never started.
			properties.put("tributary.auto-startup", "false");
			redirect(properties, environment, "no-broker-in-this-test:9092");
			environment.getPropertySources().addFirst(new MapPropertySource("tributaryInProcessKafka", properties));
			return;
		}
		// The application's own configuration (application.yml) does not count: a test
		// run must not reuse the application's state, only what the test itself sets.
		Binder testProperties = testProperties(context, mergedConfig);
		Path stateDir = testSets(testProperties, STATE_DIR) ? null : temporaryStateDir();
		DevBroker broker;
		try {
			broker = DevBroker.start(0, null, this.settings.partitions());
		}
		catch (RuntimeException ex) {
			deleteQuietly(stateDir);
			throw ex;
		}
		BrokerResources resources = new BrokerResources(broker, stateDir);
		try {
			broker.createTopics(this.settings.topics(), this.settings.partitions());
		}
		catch (RuntimeException ex) {
			resources.destroy();
			throw ex;
		}
		// A singleton with its own destruction callback: destroyed with the context even
		// when the refresh fails before any bean is created, and, registered first,
		// destroyed after every processor.
		DefaultSingletonBeanRegistry singletons = (DefaultSingletonBeanRegistry) context.getBeanFactory();
		singletons.registerSingleton(BROKER_BEAN_NAME, broker);
		singletons.registerDisposableBean(BROKER_BEAN_NAME, resources);
		redirect(properties, environment, broker.bootstrapServers());
		if (stateDir != null) {
			properties.put("tributary.streams." + STATE_DIR, stateDir.toString());
			for (String processor : processorsSetting(environment, STATE_DIR)) {
				if (!testSetsForProcessor(testProperties, processor, STATE_DIR)) {
					properties.put(processorProperty(processor, STATE_DIR), stateDir.toString());
				}
			}
		}
		if (!testSets(testProperties, COMMIT_INTERVAL)) {
			properties.put("tributary.streams." + COMMIT_INTERVAL, "100");
		}
		environment.getPropertySources().addFirst(new MapPropertySource("tributaryInProcessKafka", properties));
		BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context.getBeanFactory();
		registry.registerBeanDefinition(TestKafka.class.getName(), new RootBeanDefinition(TestKafka.class));
	}

	/**
	 * Points every Kafka client of the context at the given servers, over plaintext,
	 * whatever cluster or security the application configures: Spring Boot's clients
	 * (common and per client type), Tributary's {@code tributary.streams.*} and each
	 * processor's own {@code bootstrap.servers} / {@code security.protocol}.
	 */
	private static void redirect(Map<String, Object> properties, ConfigurableEnvironment environment,
			String bootstrapServers) {
		properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
		properties.put("spring.kafka.security.protocol", "PLAINTEXT");
		for (String client : List.of("streams", "producer", "consumer")) {
			properties.put("spring.kafka." + client + ".bootstrap-servers", bootstrapServers);
			properties.put("spring.kafka." + client + ".security.protocol", "PLAINTEXT");
		}
		properties.put("spring.kafka.admin.security.protocol", "PLAINTEXT");
		properties.put("tributary.streams.bootstrap.servers", bootstrapServers);
		properties.put("tributary.streams.security.protocol", "PLAINTEXT");
		for (String processor : processorsSetting(environment, "bootstrap.servers")) {
			properties.put(processorProperty(processor, "bootstrap.servers"), bootstrapServers);
		}
		for (String processor : processorsSetting(environment, "security.protocol")) {
			properties.put(processorProperty(processor, "security.protocol"), "PLAINTEXT");
		}
	}

	/**
	 * The properties the test itself sets ({@code @SpringBootTest(properties)},
	 * {@code @TestPropertySource}, the slice's {@code properties}), without the
	 * application's configuration files or the system environment.
	 */
	private static Binder testProperties(ConfigurableApplicationContext context,
			MergedContextConfiguration mergedConfig) {
		StandardEnvironment own = new StandardEnvironment();
		own.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		own.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		TestPropertySourceUtils.addPropertySourcesToEnvironment(own, context,
				mergedConfig.getPropertySourceDescriptors());
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(own, mergedConfig.getPropertySourceProperties());
		return Binder.get(own);
	}

	private static boolean testSets(Binder testProperties, String streamsProperty) {
		if (streamsProperty.equals(STATE_DIR) && testProperties.bind("spring.kafka.streams.state-dir", String.class)
			.isBound()) {
			return true;
		}
		return containsKey(testProperties, "tributary.streams", streamsProperty)
				|| containsKey(testProperties, "spring.kafka.streams.properties", streamsProperty);
	}

	private static boolean testSetsForProcessor(Binder testProperties, String processor, String streamsProperty) {
		return containsKey(testProperties, "tributary.processors." + processor + ".properties", streamsProperty);
	}

	private static boolean containsKey(Binder binder, String mapName, String key) {
		try {
			return binder.bind(mapName, Bindable.mapOf(String.class, String.class))
				.map((map) -> map.containsKey(key))
				.orElse(false);
		}
		catch (RuntimeException ex) {
			// Not a map of strings: leave reporting it to the application.
			return false;
		}
	}

	/**
	 * The processors whose {@code tributary.processors.<name>.properties} set the given
	 * Kafka Streams property anywhere in the environment.
	 */
	private static List<String> processorsSetting(ConfigurableEnvironment environment, String streamsProperty) {
		try {
			return Binder.get(environment)
				.bind("tributary.processors", Bindable.mapOf(String.class, TributaryProperties.Processor.class))
				.orElse(Map.of())
				.entrySet()
				.stream()
				.filter((processor) -> processor.getValue().getProperties().containsKey(streamsProperty))
				.map(Map.Entry::getKey)
				.toList();
		}
		catch (RuntimeException ex) {
			// Invalid processor configuration: the application reports it at start-up.
			return List.of();
		}
	}

	private static String processorProperty(String processor, String streamsProperty) {
		return "tributary.processors." + processor + ".properties." + streamsProperty;
	}

	private static Path temporaryStateDir() {
		try {
			return Files.createTempDirectory("tributary-test-state-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteQuietly(@Nullable Path directory) {
		if (directory != null) {
			try {
				FileSystemUtils.deleteRecursively(directory);
			}
			catch (IOException ex) {
				// A leftover temporary directory is not worth failing a test for.
			}
		}
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof InProcessKafkaContextCustomizer customizer)
				&& this.settings.equals(customizer.settings);
	}

	@Override
	public int hashCode() {
		return this.settings.hashCode();
	}

	/**
	 * Closes the broker of a context and deletes its processors' temporary state
	 * directory.
	 */
	private static final class BrokerResources implements DisposableBean {

		private final DevBroker broker;

		private final @Nullable Path stateDir;

		BrokerResources(DevBroker broker, @Nullable Path stateDir) {
			this.broker = broker;
			this.stateDir = stateDir;
		}

		@Override
		public void destroy() {
			try {
				this.broker.close();
			}
			finally {
				deleteQuietly(this.stateDir);
			}
		}

	}

}
