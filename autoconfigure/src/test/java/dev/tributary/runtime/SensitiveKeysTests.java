package dev.tributary.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SensitiveKeysTests {

	@Test
	void kafkaPasswordsAndSecretLookingKeysAreSensitiveWithOrWithoutAClientPrefix() {
		assertThat(SensitiveKeys.isSensitive("sasl.jaas.config")).isTrue();
		assertThat(SensitiveKeys.isSensitive("main.consumer.sasl.jaas.config")).isTrue();
		assertThat(SensitiveKeys.isSensitive("ssl.keystore.password")).isTrue();
		assertThat(SensitiveKeys.isSensitive("producer.ssl.key.password")).isTrue();
		assertThat(SensitiveKeys.isSensitive("ssl.keystore.key")).isTrue();
		assertThat(SensitiveKeys.isSensitive("sasl.oauthbearer.client.credentials.client.secret")).isTrue();
		assertThat(SensitiveKeys.isSensitive("basic.auth.user.info")).isTrue();
		assertThat(SensitiveKeys.isSensitive("listener.name.internal.sasl.login.config")).isTrue();
		assertThat(SensitiveKeys.isSensitive("num.stream.threads")).isFalse();
		assertThat(SensitiveKeys.isSensitive("default.key.serde")).isFalse();
		assertThat(SensitiveKeys.isSensitive("ssl.keystore.location")).isFalse();
	}

	@Test
	void anInvalidValueOfAPasswordKeyIsNotEchoed() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("bootstrap.servers", "localhost:9092");
		properties.put("key.deserializer", StringDeserializer.class);
		properties.put("value.deserializer", StringDeserializer.class);
		properties.put("ssl.truststore.password", 12345678);
		properties.put("ssl.key.password", "the-key-password");
		ConfigException rejected = catchThrowableOfType(ConfigException.class,
				() -> ConsumerConfig.configDef().parse(properties));
		assertThat(rejected).hasMessageContaining("12345678");
		assertThat(SensitiveKeys.redact(rejected.getMessage(), properties)).doesNotContain("12345678")
			.startsWith("Invalid value [hidden] for configuration ssl.truststore.password");
		assertThat(SensitiveKeys.redact("failed: the-key-password", properties)).isEqualTo("failed: [hidden]");
	}

	@Test
	void aDefinitionDescribesItselfWithoutSecretValues() {
		Properties properties = new Properties();
		properties.put("application.id", "shop-orders");
		properties.put("sasl.jaas.config", "PlainLoginModule required password=\"jaas-secret\";");
		properties.put("ssl.keystore.password", "keystore-secret");
		properties.put("ssl.truststore.password", "truststore-secret");
		properties.put("ssl.key.password", "key-secret");
		properties.put("basic.auth.user.info", "user:registry-secret");
		properties.put("sasl.oauthbearer.client.credentials.client.secret", "oauth-secret");
		properties.put("num.stream.threads", "2");
		ProcessorDefinition definition = new ProcessorDefinition("orders", properties, (props) -> new Topology(), true,
				Duration.ofSeconds(30), UncaughtExceptionPolicy.REPLACE_THREAD, CrashLoopLimit.DEFAULT);
		assertThat(definition.toString()).startsWith("ProcessorDefinition[name=orders, streamsProperties={")
			.contains("num.stream.threads=2", "sasl.jaas.config=[hidden]", "ssl.key.password=[hidden]",
					"closeTimeout=PT30S", "uncaughtExceptionPolicy=REPLACE_THREAD")
			.doesNotContain("jaas-secret", "keystore-secret", "truststore-secret", "key-secret", "registry-secret",
					"oauth-secret");
	}

}
