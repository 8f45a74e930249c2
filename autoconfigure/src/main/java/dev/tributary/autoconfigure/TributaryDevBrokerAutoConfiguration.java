package dev.tributary.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.tributary.devbroker.DevBroker;
import dev.tributary.devbroker.DevBrokerTopicCreator;
import dev.tributary.runtime.ProcessorConfigurationException;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
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
@EnableConfigurationProperties(TributaryProperties.class)
public final class TributaryDevBrokerAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = DevBroker.KAFKA_SERVER_CLASS)
	static class EmbeddedBrokerConfiguration {

		@Bean(destroyMethod = "close")
		DevBroker tributaryDevBroker(TributaryProperties properties) {
			TributaryProperties.DevBroker settings = properties.getDevBroker();
			Path dataDir = StringUtils.hasText(settings.getDataDir()) ? Path.of(settings.getDataDir()) : null;
			return DevBroker.start(settings.getPort(), dataDir, settings.getPartitions());
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

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(DevBroker.KAFKA_SERVER_CLASS)
	static class MissingBrokerConfiguration {

		@Bean
		Object tributaryDevBroker() {
			throw new ProcessorConfigurationException("tributary.dev-broker.enabled",
					"tributary.dev-broker.enabled=true needs Kafka's server on the classpath: add the dependency "
							+ "org.apache.kafka:kafka_2.13 (for example in a development profile), or "
							+ "set tributary.dev-broker.enabled=false and spring.kafka.bootstrap-servers");
		}

	}

}
