package dev.tributary.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.devbroker.DevBroker;
import dev.tributary.test.InProcessKafkaContextCustomizerFactory.InProcessKafkaSettings;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a broker for one test application context and points the context at it.
 */
class InProcessKafkaContextCustomizer implements ContextCustomizer {

	static final String BROKER_BEAN_NAME = "tributaryTestBroker";

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
			properties.put("spring.kafka.bootstrap-servers", "no-broker-in-this-test:9092");
			environment.getPropertySources().addFirst(new MapPropertySource("tributaryInProcessKafka", properties));
			return;
		}
		DevBroker broker = DevBroker.start(0, null, this.settings.partitions());
		broker.createTopics(this.settings.topics(), this.settings.partitions());
		properties.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
		if (!environment.containsProperty("tributary.streams.state.dir")) {
			properties.put("tributary.streams.state.dir", temporaryStateDir());
		}
		if (!environment.containsProperty("tributary.streams.commit.interval.ms")) {
			properties.put("tributary.streams.commit.interval.ms", "100");
		}
		environment.getPropertySources().addFirst(new MapPropertySource("tributaryInProcessKafka", properties));
		BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context.getBeanFactory();
		RootBeanDefinition brokerDefinition = new RootBeanDefinition(DevBroker.class, () -> broker);
		brokerDefinition.setDestroyMethodName("close");
		registry.registerBeanDefinition(BROKER_BEAN_NAME, brokerDefinition);
		registry.registerBeanDefinition(TestKafka.class.getName(), new RootBeanDefinition(TestKafka.class));
	}

	private static String temporaryStateDir() {
		try {
			return Files.createTempDirectory("tributary-test-state-").toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
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

}
