package dev.tributary.autoconfigure;

import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.tributary.StreamProcessor;
import dev.tributary.actuate.StreamsHealthIndicator;
import dev.tributary.devbroker.DevBroker;
import dev.tributary.runtime.CrashLoopLimit;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorDefinition;
import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.runtime.UncaughtExceptionPolicy;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class TributaryAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TributaryDevBrokerAutoConfiguration.class,
				KafkaAutoConfiguration.class, TributaryAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, TributaryHealthAutoConfiguration.class))
		.withPropertyValues("spring.application.name=shop", "spring.kafka.bootstrap-servers=localhost:1",
				"tributary.auto-startup=false");

	@Test
	void registersNoProcessorsWhenThereAreNoStreamProcessorBeans() {
		this.runner.run((context) -> assertThat(context.getBean(ProcessorRegistry.class).processors()).isEmpty());
	}

	@Test
	void defaultsApplicationIdToApplicationNameAndProcessorName() {
		this.runner.withUserConfiguration(Orders.class).run((context) -> {
			ProcessorDefinition definition = definition(context.getBean(ProcessorRegistry.class), "orders");
			assertThat(definition.applicationId()).isEqualTo("shop-orders");
			assertThat(definition.streamsProperties().get("bootstrap.servers")).isEqualTo(List.of("localhost:1"));
		});
	}

	@Test
	void appliesDefaultLifecycleSettings() {
		this.runner.withUserConfiguration(Orders.class).withPropertyValues("tributary.auto-startup=true").run((context) -> {
			ProcessorDefinition definition = definition(context.getBean(ProcessorRegistry.class), "orders");
			assertThat(definition.autoStartup()).isTrue();
			// Fits, with Boot's graceful web shutdown, in Kubernetes' 30 s grace period.
			assertThat(definition.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(definition.uncaughtExceptionPolicy()).isEqualTo(UncaughtExceptionPolicy.REPLACE_THREAD);
			context.getBean(ProcessorRegistry.class).stop();
		});
	}

	@Test
	void perProcessorSettingsOverrideGlobalOnes() {
		this.runner.withUserConfiguration(Orders.class, Payments.class)
			.withPropertyValues("tributary.close-timeout=5s", "tributary.uncaught-exception-policy=shutdown-client",
					"tributary.processors.orders.application-id=orders-v2",
					"tributary.processors.orders.auto-startup=true",
					"tributary.processors.orders.close-timeout=1s",
					"tributary.processors.orders.uncaught-exception-policy=shutdown-application")
			.run((context) -> {
				ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
				ProcessorDefinition orders = definition(registry, "orders");
				assertThat(orders.applicationId()).isEqualTo("orders-v2");
				assertThat(orders.autoStartup()).isTrue();
				assertThat(orders.closeTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(orders.uncaughtExceptionPolicy()).isEqualTo(UncaughtExceptionPolicy.SHUTDOWN_APPLICATION);
				ProcessorDefinition payments = definition(registry, "payments");
				assertThat(payments.applicationId()).isEqualTo("shop-payments");
				assertThat(payments.autoStartup()).isFalse();
				assertThat(payments.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(payments.uncaughtExceptionPolicy()).isEqualTo(UncaughtExceptionPolicy.SHUTDOWN_CLIENT);
				registry.stop();
			});
	}

	@Test
	void mergesStreamsPropertiesFromSpringKafkaThenTributaryStreamsThenProcessor() {
		this.runner.withUserConfiguration(Orders.class, Payments.class)
			.withPropertyValues("spring.kafka.streams.properties.num.stream.threads=2",
					"spring.kafka.streams.properties.commit.interval.ms=7",
					"spring.kafka.streams.properties.poll.ms=9", "tributary.streams.num.stream.threads=3",
					"tributary.streams.commit.interval.ms=8",
					"tributary.processors.orders.properties.num.stream.threads=4")
			.run((context) -> {
				ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
				Properties orders = definition(registry, "orders").streamsProperties();
				assertThat(orders).containsEntry("num.stream.threads", "4")
					.containsEntry("commit.interval.ms", "8")
					.containsEntry("poll.ms", "9");
				Properties payments = definition(registry, "payments").streamsProperties();
				assertThat(payments).containsEntry("num.stream.threads", "3");
			});
	}

	@Test
	void exactlyOnceSetsExactlyOnceV2AndAShortCommitInterval() {
		this.runner.withUserConfiguration(Orders.class, Payments.class)
			.withPropertyValues("tributary.processors.orders.guarantee=exactly-once")
			.run((context) -> {
				ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
				assertThat(definition(registry, "orders").streamsProperties())
					.containsEntry("processing.guarantee", "exactly_once_v2")
					.containsEntry("commit.interval.ms", "100");
				assertThat(definition(registry, "payments").streamsProperties()).doesNotContainKey("processing.guarantee");
			});
	}

	@Test
	void explicitStreamsPropertiesWinOverTheGuaranteeDefaults() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.guarantee=exactly-once", "tributary.streams.commit.interval.ms=250")
			.run((context) -> assertThat(definition(context.getBean(ProcessorRegistry.class), "orders")
				.streamsProperties()).containsEntry("processing.guarantee", "exactly_once_v2")
				.containsEntry("commit.interval.ms", "250"));
	}

	@Test
	void aCommitIntervalFromSpringKafkaStreamsPropertiesWinsOverTheExactlyOnceDefault() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.guarantee=exactly-once",
					"spring.kafka.streams.properties.commit.interval.ms=500")
			.run((context) -> assertThat(definition(context.getBean(ProcessorRegistry.class), "orders")
				.streamsProperties()).containsEntry("processing.guarantee", "exactly_once_v2")
				.containsEntry("commit.interval.ms", "500"));
	}

	@Test
	void installsErrorHandlersThatSendToADeadLetterTopicByDefault() {
		this.runner.withUserConfiguration(Orders.class).run((context) -> {
			Properties properties = definition(context.getBean(ProcessorRegistry.class), "orders").streamsProperties();
			assertThat(properties.get("deserialization.exception.handler"))
				.isEqualTo(dev.tributary.errors.DeserializationErrorHandler.class);
			assertThat(properties.get("processing.exception.handler"))
				.isEqualTo(dev.tributary.errors.ProcessingErrorHandler.class);
			assertThat(properties.get("production.exception.handler"))
				.isEqualTo(dev.tributary.errors.ProductionErrorHandler.class);
			assertThat(properties.get(dev.tributary.errors.ErrorHandlingSettings.CONFIG_KEY))
				.isInstanceOfSatisfying(dev.tributary.errors.ErrorHandlingSettings.class, (settings) -> {
					assertThat(settings.deserialization()).isEqualTo(dev.tributary.errors.ErrorHandling.DEAD_LETTER);
					assertThat(settings.processing()).isEqualTo(dev.tributary.errors.ErrorHandling.DEAD_LETTER);
					assertThat(settings.production()).isEqualTo(dev.tributary.errors.ErrorHandling.DEAD_LETTER);
					assertThat(settings.deadLetterTopic()).isEqualTo("shop-orders-dlq");
				});
		});
	}

	@Test
	void perProcessorErrorHandlingOverridesTheGlobalOne() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.errors.processing=fail", "tributary.errors.dead-letter-topic=dlq.{processor}.{source-topic}",
					"tributary.processors.orders.errors.deserialization=log-and-continue")
			.run((context) -> assertThat(definition(context.getBean(ProcessorRegistry.class), "orders")
				.streamsProperties()
				.get(dev.tributary.errors.ErrorHandlingSettings.CONFIG_KEY))
				.isInstanceOfSatisfying(dev.tributary.errors.ErrorHandlingSettings.class, (settings) -> {
					assertThat(settings.deserialization()).isEqualTo(dev.tributary.errors.ErrorHandling.LOG_AND_CONTINUE);
					assertThat(settings.processing()).isEqualTo(dev.tributary.errors.ErrorHandling.FAIL);
					assertThat(settings.deadLetterTopic()).isEqualTo("dlq.orders.{source-topic}");
				}));
	}

	@Test
	void keepsAnExceptionHandlerTheUserConfigured() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.streams.deserialization.exception.handler="
					+ org.apache.kafka.streams.errors.LogAndFailExceptionHandler.class.getName())
			.run((context) -> assertThat(definition(context.getBean(ProcessorRegistry.class), "orders")
				.streamsProperties()).containsEntry("deserialization.exception.handler",
						org.apache.kafka.streams.errors.LogAndFailExceptionHandler.class.getName()));
	}

	@Test
	void rejectsAnUnknownErrorHandlingNamingTheValidOnes() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.errors.processing=ignore")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("ignore"));
	}

	@Test
	void appliesSpringKafkaSecuritySettings() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("spring.kafka.security.protocol=SASL_SSL",
					"spring.kafka.properties.sasl.mechanism=PLAIN")
			.run((context) -> {
				Properties orders = definition(context.getBean(ProcessorRegistry.class), "orders").streamsProperties();
				assertThat(orders).containsEntry("security.protocol", "SASL_SSL")
					.containsEntry("sasl.mechanism", "PLAIN");
			});
	}

	@Test
	void failsWhenTwoProcessorsShareAName() {
		this.runner.withUserConfiguration(Orders.class, DuplicateOrders.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("@StreamProcessor(\"orders\")")
				.hasMessageContaining("processor names must be unique"));
	}

	@Test
	void failsWhenTwoProcessorsShareAnApplicationId() {
		this.runner.withUserConfiguration(Orders.class, Payments.class)
			.withPropertyValues("tributary.processors.payments.application-id=shop-orders")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("both use application id 'shop-orders'")
				.hasMessageContaining("tributary.processors.payments.application-id")
				.extracting("key")
				.isEqualTo("tributary.processors.payments.application-id"));
	}

	@Test
	void failsWhenAProcessorKeyMatchesNoProcessor() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.order.auto-startup=true")
			.run((context) -> assertThat(failure(context))
				.hasMessage("tributary.processors.order matches no @StreamProcessor; processors: [orders]"));
	}

	@Test
	void failsWhenNoClusterIsConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryAutoConfiguration.class))
			.withPropertyValues("spring.application.name=shop")
			.withUserConfiguration(Orders.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("spring.kafka.bootstrap-servers")
				.extracting("key")
				.isEqualTo("spring.kafka.bootstrap-servers"));
	}

	@Test
	void acceptsClusterFromTributaryStreams() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryAutoConfiguration.class))
			.withPropertyValues("spring.application.name=shop", "tributary.auto-startup=false",
					"tributary.streams.bootstrap.servers=broker:9092")
			.withUserConfiguration(Orders.class)
			.run((context) -> assertThat(definition(context.getBean(ProcessorRegistry.class), "orders")
				.streamsProperties()).containsEntry("bootstrap.servers", "broker:9092"));
	}

	@Test
	void failsWithoutApplicationNameOrApplicationId() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryAutoConfiguration.class))
			.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1")
			.withUserConfiguration(Orders.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("set spring.application.name")
				.hasMessageContaining("tributary.processors.orders.application-id"));
	}

	@Test
	void failsOnAnInvalidApplicationId() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.application-id=my orders")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("invalid application id 'my orders'")
				.extracting("key")
				.isEqualTo("tributary.processors.orders.application-id"));
	}

	@Test
	void failsOnASharedApplicationIdInTributaryStreams() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.streams.application.id=everything")
			.run((context) -> assertThat(failure(context)).extracting("key")
				.isEqualTo("tributary.streams.application.id"));
	}

	@Test
	void failsOnInvalidStreamsProperties() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.properties.num.stream.threads=many")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("num.stream.threads")
				.hasMessageContaining("tributary.processors.orders.properties"));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aConfigurationErrorFailsStartUpBeforeTheDevBrokerStarts(CapturedOutput output, @TempDir Path stateDir) {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.dev-broker.enabled=true", "tributary.dev-broker.port=0",
					"tributary.streams.state.dir=" + stateDir,
					"tributary.processors.orders.properties.num.stream.threads=many")
			.run((context) -> {
				assertThat(failure(context)).hasMessageContaining("num.stream.threads");
				assertThat(output).doesNotContain("Started the Tributary dev broker");
				assertThat(stateDir.resolve("tributary-dev-broker")).doesNotExist();
			});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void theDevBrokerStartsOnceTheProcessorsAreValidatedWithItsDataInTheStateDirectory(CapturedOutput output,
			@TempDir Path stateDir) {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.dev-broker.enabled=true", "tributary.dev-broker.port=0",
					"tributary.streams.state.dir=" + stateDir)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DevBroker broker = context.getBean(DevBroker.class);
				assertThat(broker.isStarted()).isTrue();
				assertThat(broker.dataDir()).isEqualTo(stateDir.resolve("tributary-dev-broker"));
				assertThat(context.getBean(ProcessorRegistry.class).get("orders").streamsProperties()
					.get("bootstrap.servers")).isEqualTo(List.of(broker.bootstrapServers()));
				assertThat(output).contains("Started the Tributary dev broker on " + broker.bootstrapServers());
			});
	}

	@Test
	void failsOnAnEmptyTopology() {
		this.runner.withUserConfiguration(Empty.class)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("@StreamProcessor 'empty': Empty.topology() defined an empty topology"));
	}

	@Test
	void failsOnATopologyThatDoesNotBuild() {
		this.runner.withUserConfiguration(Broken.class)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("@StreamProcessor 'broken': Broken.topology() failed to build its topology")
				.hasMessageContaining("no such topic"));
	}

	@Test
	void failsOnABeanWithoutATopologyMethod() {
		this.runner.withUserConfiguration(NoMethod.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("must declare exactly one topology method")
				.hasMessageContaining("found none"));
	}

	@Test
	void failsOnABeanWithTwoTopologyMethods() {
		this.runner.withUserConfiguration(TwoMethods.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("must declare exactly one topology method")
				.hasMessageContaining("dsl(org.apache.kafka.streams.StreamsBuilder)")
				.hasMessageContaining("processorApi()"));
	}

	@Test
	void failsOnAnInvalidProcessorName() {
		this.runner.withUserConfiguration(BadName.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("invalid name 'bad name'"));
	}

	@Test
	void acceptsAProcessorApiTopology() {
		this.runner.withUserConfiguration(ProcessorApi.class)
			.run((context) -> assertThat(context.getBean(ProcessorRegistry.class).names()).containsExactly("raw"));
	}

	@Test
	void backsOffWhenTheUserDefinesARegistry() {
		this.runner.withUserConfiguration(Orders.class, UserRegistry.class)
			.run((context) -> assertThat(context.getBean(ProcessorRegistry.class).processors()).isEmpty());
	}

	@Test
	void addsTheStreamsHealthIndicator() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(StreamsHealthIndicator.class)
			.hasBean("streamsHealthIndicator"));
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.runner.withPropertyValues("management.health.streams.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StreamsHealthIndicator.class));
	}

	@Test
	void aJarWithoutKafkaServerNamesTheMissingDependencyEvenWhenTheProcessorsAreResolvedFirst() {
		// As the getting-started jar started with its development configuration: no cluster
		// named, and a bean of the application's that needs the processors first.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TributaryDevBrokerAutoConfiguration.class,
					KafkaAutoConfiguration.class, TributaryAutoConfiguration.class))
			.withPropertyValues("spring.application.name=shop", "tributary.auto-startup=false",
					"tributary.dev-broker.enabled=true")
			.withClassLoader(new FilteredClassLoader("kafka.server"))
			.withUserConfiguration(NeedsProcessors.class, Orders.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("org.apache.kafka:kafka_2.13")
				.extracting("key")
				.isEqualTo("tributary.dev-broker.enabled"));
	}

	@Configuration(proxyBeanMethods = false)
	static class NeedsProcessors {

		@Bean
		String needsProcessors(ProcessorRegistry processors) {
			return processors.names().toString();
		}

	}

	@Test
	void failsWhenTheDevBrokerIsEnabledWithoutKafkaServer() {
		this.runner.withPropertyValues("tributary.dev-broker.enabled=true")
			.withClassLoader(new FilteredClassLoader("kafka.server"))
			.run((context) -> assertThat(failure(context)).hasMessageContaining("org.apache.kafka:kafka_2.13")
				.extracting("key")
				.isEqualTo("tributary.dev-broker.enabled"));
	}

	@Test
	void failsWhenTheDevBrokerIsEnabledWithoutKafkaServerEvenWithLazyInitialization() {
		// A production jar started with a development property, a cluster named, every bean lazy.
		this.runner.withPropertyValues("tributary.dev-broker.enabled=true", "spring.kafka.bootstrap-servers=kafka:9092")
			.withClassLoader(new FilteredClassLoader("kafka.server"))
			.withUserConfiguration(Orders.class)
			.withInitializer((context) -> context
				.addBeanFactoryPostProcessor(new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> assertThat(failure(context)).hasMessageContaining("org.apache.kafka:kafka_2.13"));
	}

	@Test
	void failureAnalysisNamesTheKey() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.nope.auto-startup=true")
			.run((context) -> {
				ProcessorConfigurationException failure = failure(context);
				var analysis = new ProcessorConfigurationFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).contains("tributary.processors.nope matches no @StreamProcessor");
				assertThat(analysis.getAction()).contains("'tributary.processors.nope'");
			});
	}

	@Test
	void keepsAClusterNamedOnlyInTheKafkaPropertiesMap() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryAutoConfiguration.class))
			.withPropertyValues("spring.application.name=shop", "tributary.auto-startup=false",
					"spring.kafka.properties.bootstrap.servers=prod:9093")
			.withUserConfiguration(Orders.class)
			.run((context) -> assertThat(definition(context.getBean(ProcessorRegistry.class), "orders")
				.streamsProperties()
				.get("bootstrap.servers")).hasToString("prod:9093"));
	}

	@Test
	void leavesAHandlerSetWithKafkasDeprecatedKeyInPlace() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("spring.kafka.streams.properties.default.deserialization.exception.handler="
					+ "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler")
			.run((context) -> assertThat(definition(context.getBean(ProcessorRegistry.class), "orders")
				.streamsProperties()).doesNotContainKey("deserialization.exception.handler")
				.containsEntry("default.deserialization.exception.handler",
						"org.apache.kafka.streams.errors.LogAndContinueExceptionHandler"));
	}

	@Test
	void rejectsANegativeCloseTimeoutNamingTheKey() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.close-timeout=-1")
			.run((context) -> assertThat(failure(context).getKey()).isEqualTo("tributary.processors.orders.close-timeout"));
	}

	@Test
	void crashLoopLimitComesFromTheProcessorThenTheGlobalSettingThenTheDefault() {
		this.runner.withUserConfiguration(Orders.class, Payments.class)
			.withPropertyValues("tributary.crash-loop.window=1m",
					"tributary.processors.orders.crash-loop.max-replacements=2")
			.run((context) -> {
				ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
				assertThat(definition(registry, "orders").crashLoopLimit())
					.isEqualTo(new CrashLoopLimit(2, Duration.ofMinutes(1)));
				assertThat(definition(registry, "payments").crashLoopLimit())
					.isEqualTo(new CrashLoopLimit(5, Duration.ofMinutes(1)));
				registry.stop();
			});
	}

	@Test
	void rejectsANegativeCrashLoopLimitOrAnEmptyWindowNamingTheKey() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.crash-loop.max-replacements=-1")
			.run((context) -> assertThat(failure(context).getKey())
				.isEqualTo("tributary.processors.orders.crash-loop.max-replacements"));
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.crash-loop.window=0s")
			.run((context) -> assertThat(failure(context).getKey()).isEqualTo("tributary.crash-loop.window"));
	}

	@Test
	void rejectsADeadLetterTopicKafkaWouldRefuseNamingTheKey() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.errors.dead-letter-topic={processor}/dlq")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("'orders/dlq'")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.errors.dead-letter-topic"));
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.errors.dead-letter-topic={source-topic}.dlq")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void rejectsABlankGroupInstanceIdNamingTheKey() {
		// An unset HOSTNAME would give every pod the same static member id.
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.streams.group.instance.id=")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("group.instance.id")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.streams.group.instance.id"));
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.properties.group.instance.id=pod 1")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("'pod 1'")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.processors.orders.properties.group.instance.id"));
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.streams.group.instance.id=shop-7d9f-x2k4")
			.run((context) -> assertThat(definition(context.getBean(ProcessorRegistry.class), "orders")
				.streamsProperties()).containsEntry("group.instance.id", "shop-7d9f-x2k4"));
	}

	@Test
	void rejectsAnInvalidKafkaClientValueAtStartUpNamingIt() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.streams.max.poll.records=abc")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("max.poll.records"));
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.properties.producer.linger.ms=soon")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("linger.ms"));
	}

	@Test
	void rejectsAMistypedTributaryKeyNamingIt() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.auto-start=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("tributary.processors.orders.auto-start"));
	}

	@Test
	void definitionToStringShowsNoSecretValues() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("spring.kafka.ssl.key-password=key-secret-1",
					"spring.kafka.ssl.key-store-password=keystore-secret-2",
					"spring.kafka.ssl.trust-store-password=truststore-secret-3",
					"spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
							+ "required username=\"shop\" password=\"jaas-secret-4\";",
					"tributary.streams.basic.auth.user.info=shop:registry-secret-5",
					"tributary.streams.sasl.oauthbearer.client.credentials.client.secret=oauth-secret-6",
					"tributary.processors.orders.properties.consumer.ssl.truststore.password=truststore-secret-7")
			.run((context) -> {
				ProcessorDefinition definition = definition(context.getBean(ProcessorRegistry.class), "orders");
				assertThat(definition.streamsProperties()).containsKeys("ssl.key.password", "sasl.jaas.config",
						"basic.auth.user.info");
				assertThat(definition.toString()).contains("ssl.key.password=[hidden]", "sasl.jaas.config=[hidden]",
						"application.id=shop-orders")
					.doesNotContain("secret-1", "secret-2", "secret-3", "secret-4", "secret-5", "secret-6",
							"secret-7");
			});
	}

	@Test
	void anInvalidValueInTributaryStreamsNamesThatKey() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.streams.num.stream.threads=many")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("tributary.streams.num.stream.threads")
				.hasMessageContaining("many")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.streams.num.stream.threads"));
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.properties.consumer.max.poll.records=lots")
			.run((context) -> assertThat(failure(context).getKey())
				.isEqualTo("tributary.processors.orders.properties.consumer.max.poll.records"));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void warnsAboutAMisspeltStreamsPropertyNamingTheClosestOne(CapturedOutput output) {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.streams.num.stream.thread=2",
					"tributary.processors.orders.properties.consumer.max.pol.records=5",
					"tributary.streams.schema.registry.url=http://registry:8081",
					"tributary.streams.topic.min.insync.replicas=2", "tributary.streams.rocksdb.anything=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains(
						"tributary.streams.num.stream.thread is not a Kafka Streams, consumer, producer or admin "
								+ "property (did you mean num.stream.threads?)",
						"tributary.processors.orders.properties.consumer.max.pol.records is not a Kafka Streams, "
								+ "consumer, producer or admin property (did you mean consumer.max.poll.records?)",
						"tributary.streams.schema.registry.url is not a Kafka Streams, consumer, producer or admin "
								+ "property; Kafka ignores it")
					.doesNotContain("topic.min.insync.replicas is not", "rocksdb.anything is not");
			});
	}

	@Test
	void failsOnAMisspeltStreamsPropertyWhenStrict() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.strict-properties=true", "tributary.streams.num.stream.thread=2")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("did you mean num.stream.threads?")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.streams.num.stream.thread"));
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.strict-properties=true", "tributary.streams.schema.registry.url=http://r")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void anInvalidEnumValueIsReportedWithTheKeyAndTheValidValues() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.guarantee=exactly-twice")
			.run((context) -> {
				FailureAnalysis analysis = bindingAnalysis(context);
				assertThat(analysis.getDescription()).startsWith(
						"tributary.processors.orders.guarantee has the invalid value 'exactly-twice'")
					.endsWith("expected one of at-least-once, exactly-once");
				assertThat(analysis.getAction())
					.isEqualTo("Set tributary.processors.orders.guarantee to one of at-least-once, exactly-once.");
			});
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.close-timeout=soon")
			.run((context) -> assertThat(bindingAnalysis(context).getDescription())
				.contains("tributary.close-timeout has the invalid value 'soon'")
				.contains("a duration such as 30s"));
	}

	@Test
	void anUnknownTributaryKeyIsReportedWithTheValidKeys() {
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.processors.orders.auto-start=false")
			.run((context) -> {
				FailureAnalysis analysis = bindingAnalysis(context);
				assertThat(analysis.getDescription()).startsWith("tributary.processors.orders.auto-start is not a "
						+ "Tributary property (did you mean tributary.processors.orders.auto-startup?); the keys "
						+ "under tributary.processors.orders are: application-id, async, auto-startup, close-timeout, ")
					.contains("guarantee", "properties", "stores")
					.doesNotContain("Bindable@");
				assertThat(analysis.getAction()).isEqualTo("Correct or remove tributary.processors.orders.auto-start.");
			});
		this.runner.withUserConfiguration(Orders.class)
			.withPropertyValues("tributary.gaurantee=exactly-once")
			.run((context) -> assertThat(bindingAnalysis(context).getDescription())
				.startsWith("tributary.gaurantee is not a Tributary property (did you mean tributary.guarantee?)")
				.contains("strict-properties", "streams"));
	}

	@Test
	void settingsOfAStoreTheTopologyDoesNotHaveFailStartUpNamingTheStores() {
		this.runner.withUserConfiguration(Counts.class)
			.withPropertyValues("tributary.processors.counts.stores.count-store.key-type=string")
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withUserConfiguration(Counts.class)
			.withPropertyValues("tributary.processors.counts.stores.cuont-store.key-type=string")
			.run((context) -> assertThat(failure(context))
				.hasMessage("tributary.processors.counts.stores.cuont-store names no state store of processor "
						+ "'counts'; its stores: [count-store]")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.processors.counts.stores.cuont-store"));
	}

	@Test
	void anUnknownStoreKeyTypeFailsStartUpNamingTheValidTypes() {
		this.runner.withConfiguration(AutoConfigurations.of(TributaryQueryAutoConfiguration.class))
			.withUserConfiguration(Counts.class)
			.withPropertyValues("tributary.processors.counts.stores.count-store.key-type=lnog")
			.run((context) -> assertThat(failure(context))
				.hasMessage("tributary.processors.counts.stores.count-store.key-type is 'lnog', which is no query key "
						+ "type; valid: string, long, integer, uuid, bytes (or the name of a QueryKeyType bean)")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.processors.counts.stores.count-store.key-type"));
		this.runner.withConfiguration(AutoConfigurations.of(TributaryQueryAutoConfiguration.class))
			.withUserConfiguration(Counts.class)
			.withPropertyValues("tributary.processors.counts.stores.count-store.key-type=long")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aStartingApplicationReportsTributaryBindingFailuresInTributarysTerms(CapturedOutput output) {
		SpringApplication application = new SpringApplication(BootApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--spring.application.name=shop",
				"--spring.kafka.bootstrap-servers=localhost:1", "--tributary.auto-startup=false",
				"--tributary.processors.orders.guarantee=exactly-twice"));
		assertThat(output).contains("tributary.processors.orders.guarantee has the invalid value 'exactly-twice'",
				"Set tributary.processors.orders.guarantee to one of at-least-once, exactly-once.");
	}

	private static FailureAnalysis bindingAnalysis(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TributaryBindingFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	private static ProcessorDefinition definition(ProcessorRegistry registry, String name) {
		return registry.get(name).definition();
	}

	private static ProcessorConfigurationException failure(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (cause != null && !(cause instanceof ProcessorConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a ProcessorConfigurationException in %s", context.getStartupFailure()).isNotNull();
		return (ProcessorConfigurationException) cause;
	}

	static void readTopic(StreamsBuilder builder, String topic) {
		builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String())).to(topic + "-out");
	}

	@StreamProcessor("orders")
	static class Orders {

		void topology(StreamsBuilder builder) {
			readTopic(builder, "orders");
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Orders.class)
	static class BootApplication {

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateOrders {

		@Bean
		Orders otherOrders() {
			return new Orders();
		}

	}

	@StreamProcessor("counts")
	static class Counts {

		void topology(StreamsBuilder builder) {
			builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey()
				.count(Materialized.as("count-store"));
		}

	}

	@StreamProcessor("payments")
	static class Payments {

		void topology(StreamsBuilder builder) {
			readTopic(builder, "payments");
		}

	}

	@StreamProcessor("empty")
	static class Empty {

		void topology(StreamsBuilder builder) {
		}

	}

	@StreamProcessor("broken")
	static class Broken {

		void topology(StreamsBuilder builder) {
			throw new IllegalStateException("no such topic");
		}

	}

	@StreamProcessor("no-method")
	static class NoMethod {

	}

	@StreamProcessor("two")
	static class TwoMethods {

		void dsl(StreamsBuilder builder) {
			readTopic(builder, "a");
		}

		Topology processorApi() {
			return new Topology();
		}

	}

	@StreamProcessor("bad name")
	static class BadName {

		void topology(StreamsBuilder builder) {
			readTopic(builder, "a");
		}

	}

	@StreamProcessor(name = "raw")
	static class ProcessorApi {

		Topology topology() {
			return new Topology().addSource("source", "raw-in").addSink("sink", "raw-out", "source");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Orders.class)
	static class UserRegistry {

		@Bean
		ProcessorRegistry myRegistry() {
			return new ProcessorRegistry(List.of(), List.of());
		}

	}

}
