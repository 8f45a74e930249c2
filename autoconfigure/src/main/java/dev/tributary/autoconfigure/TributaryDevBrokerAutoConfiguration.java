package dev.tributary.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.tributary.devbroker.DevBroker;
import dev.tributary.devbroker.DevBrokerTopicCreator;
import dev.tributary.devbroker.StaleLocalState;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.streams.StreamsConfig;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * Starts the in-process development broker when {@code tributary.dev-broker.enabled} is
 * true, and points every Kafka client of the application (processors, templates,
 * listeners) at it through {@link KafkaConnectionDetails}.
 */
@AutoConfiguration(before = { KafkaAutoConfiguration.class, TributaryAutoConfiguration.class })
@ConditionalOnBooleanProperty("tributary.dev-broker.enabled")
@EnableConfigurationProperties({ TributaryProperties.class, KafkaProperties.class })
public final class TributaryDevBrokerAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = DevBroker.KAFKA_SERVER_CLASS)
	static class EmbeddedBrokerConfiguration {

		/** The default data directory's name, inside the state directory. */
		static final String DATA_DIR_NAME = "tributary-dev-broker";

		/**
		 * The broker's address and data directory, fixed here; it starts once the
		 * processors' configuration has been validated (see {@link DevBrokerStarter}).
		 */
		@Bean(destroyMethod = "close")
		DevBroker tributaryDevBroker(TributaryProperties properties, KafkaProperties kafkaProperties) {
			TributaryProperties.DevBroker settings = properties.getDevBroker();
			Path dataDir = StringUtils.hasText(settings.getDataDir()) ? Path.of(settings.getDataDir())
					: defaultDataDir(properties, kafkaProperties);
			return DevBroker.prepare(settings.getPort(), dataDir, settings.getPartitions());
		}

		@Bean
		static DevBrokerStarter tributaryDevBrokerStarter(ObjectProvider<DevBroker> broker) {
			return new DevBrokerStarter(broker);
		}

		@Bean
		KafkaConnectionDetails tributaryDevBrokerConnectionDetails(DevBroker broker) {
			// The dev broker speaks plaintext, whatever spring.kafka.security.* says for real
			// clusters (a base application.yml with SASL_SSL and a dev profile, say).
			return new KafkaConnectionDetails() {

				@Override
				public List<String> getBootstrapServers() {
					return List.of(broker.bootstrapServers());
				}

				@Override
				public String getSecurityProtocol() {
					return "PLAINTEXT";
				}

			};
		}

		@Bean
		DevBrokerTopicCreator tributaryDevBrokerTopicCreator(DevBroker broker) {
			return new DevBrokerTopicCreator(broker);
		}

		@Bean
		@ConditionalOnMissingBean
		StaleLocalState tributaryDevBrokerStaleLocalState(DevBroker broker) {
			return new StaleLocalState(broker);
		}

		/**
		 * Inside the processors' common state directory, so that the broker's data and
		 * their local state are kept, and deleted, together: a restart finds both.
		 */
		static Path defaultDataDir(TributaryProperties properties, KafkaProperties kafkaProperties) {
			Object stateDir = properties.getStreams().get(StreamsConfig.STATE_DIR_CONFIG);
			if (stateDir == null) {
				stateDir = kafkaProperties.buildStreamsProperties().get(StreamsConfig.STATE_DIR_CONFIG);
			}
			if (stateDir == null) {
				stateDir = StreamsConfig.configDef().defaultValues().get(StreamsConfig.STATE_DIR_CONFIG);
			}
			return Path.of(String.valueOf(stateDir)).resolve(DATA_DIR_NAME);
		}

	}

	/**
	 * Starts the dev broker as soon as the processor registry exists, that is once every
	 * processor's configuration and topology has been validated: a start-up that fails on
	 * configuration does not first spend a second or two on the broker. Kafka clients are
	 * only created with the broker's address meanwhile; they connect later. Without a
	 * processor registry (or with lazy initialization), the broker starts once all
	 * singletons exist, before any {@code SmartInitializingSingleton} of Spring Kafka's.
	 */
	static final class DevBrokerStarter implements BeanPostProcessor, SmartInitializingSingleton {

		private final ObjectProvider<DevBroker> broker;

		DevBrokerStarter(ObjectProvider<DevBroker> broker) {
			this.broker = broker;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof ProcessorRegistry) {
				this.broker.getObject().start();
			}
			return bean;
		}

		@Override
		public void afterSingletonsInstantiated() {
			this.broker.getObject().start();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(DevBroker.KAFKA_SERVER_CLASS)
	static class MissingBrokerConfiguration {

		// Of a type Spring Boot never initializes lazily: even with
		// spring.main.lazy-initialization the start fails here.
		@Bean
		SmartInitializingSingleton tributaryDevBroker() {
			throw missingBroker();
		}

	}

	/**
	 * The dev broker is enabled but Kafka's server is not on the classpath, as in a jar
	 * built without the optional {@code kafka_2.13}.
	 */
	static ProcessorConfigurationException missingBroker() {
		return new ProcessorConfigurationException("tributary.dev-broker.enabled",
				"tributary.dev-broker.enabled=true needs Kafka's server on the classpath: add the dependency "
						+ "org.apache.kafka:kafka_2.13 (for example in a development profile, or optional, which "
						+ "mvn spring-boot:run and the tests have and the jar does not), or set "
						+ "tributary.dev-broker.enabled=false and spring.kafka.bootstrap-servers");
	}

}
