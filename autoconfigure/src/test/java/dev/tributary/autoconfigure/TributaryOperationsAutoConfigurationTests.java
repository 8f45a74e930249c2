package dev.tributary.autoconfigure;

import java.util.List;

import dev.tributary.actuate.StreamsEndpoint;
import dev.tributary.actuate.StreamsHealthIndicator;
import dev.tributary.actuate.StreamsLivenessStateHealthIndicator;
import dev.tributary.actuate.StreamsReadinessStateHealthIndicator;
import dev.tributary.metrics.ProcessorMetrics;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class TributaryOperationsAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
				EndpointAutoConfiguration.class, TributaryHealthAutoConfiguration.class,
				TributaryMetricsAutoConfiguration.class))
		.withPropertyValues("spring.application.name=shop", "spring.kafka.bootstrap-servers=localhost:1",
				"tributary.auto-startup=false", "management.endpoints.web.exposure.include=health,streams");

	@Test
	void replacesTheProbesWithOnesThatFollowTheProcessors() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(StreamsHealthIndicator.class).hasSingleBean(StreamsEndpoint.class);
			assertThat(context.getBean("readinessStateHealthIndicator"))
				.isInstanceOf(StreamsReadinessStateHealthIndicator.class);
			assertThat(context.getBean("livenessStateHealthIndicator"))
				.isInstanceOf(StreamsLivenessStateHealthIndicator.class);
		});
	}

	@Test
	void leavesTheProbesAloneWhenProbesAreDisabled() {
		this.runner.withPropertyValues("management.endpoint.health.probes.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("readinessStateHealthIndicator"));
	}

	@Test
	void backsOffFromAUserDefinedReadinessIndicator() {
		this.runner.withUserConfiguration(UserReadiness.class)
			.run((context) -> assertThat(context.getBean("readinessStateHealthIndicator"))
				.isNotInstanceOf(StreamsReadinessStateHealthIndicator.class));
	}

	@Test
	void backsOffFromAUserDefinedEndpoint() {
		this.runner.withUserConfiguration(UserEndpoint.class)
			.run((context) -> assertThat(context).hasSingleBean(StreamsEndpoint.class).hasBean("myEndpoint"));
	}

	@Test
	void leavesTheEndpointOutWhenItIsDisabled() {
		this.runner.withPropertyValues("management.endpoint.streams.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(StreamsEndpoint.class));
	}

	@Test
	void bindsMetricsOnlyWithAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ProcessorMetrics.class));
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(ProcessorMetrics.class));
	}

	@Test
	void registersProcessorStateGaugesForEveryProcessor() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(TributaryAutoConfigurationTests.Orders.class)
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("tributary.processor.state")
					.tags("processor", "orders", "application.id", "shop-orders", "state", "NOT_RUNNING")
					.gauge()
					.value()).isEqualTo(1.0);
				assertThat(context.getBean(ProcessorRegistry.class).names()).containsExactly("orders");
			});
	}

	@Test
	void registersTheErrorCountersAtZeroBeforeAnyErrorSoAlertsSeeTheFirstOne() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(TributaryAutoConfigurationTests.Orders.class)
			.withPropertyValues("tributary.errors.processing=log-and-continue")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("tributary.processor.errors").tags("processor", "orders").counters())
					.extracting((counter) -> counter.getId().getTag("kind") + "=" + counter.getId().getTag("outcome"))
					.containsExactlyInAnyOrder("deserialization=dead-letter", "processing=log-and-continue",
							"production=dead-letter");
				assertThat(meters.get("tributary.processor.errors").counters())
					.allSatisfy((counter) -> assertThat(counter.count()).isZero());
				for (String counter : List.of("tributary.processor.uncaught.exceptions",
						"tributary.processor.thread.replacements")) {
					assertThat(meters.get(counter)
						.tags("processor", "orders", "application.id", "shop-orders")
						.counter()
						.count()).as(counter).isZero();
				}
			});
	}

	@Test
	void registersNoErrorCounterForAKindTheApplicationsOwnHandlerHandles() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(TributaryAutoConfigurationTests.Orders.class)
			.withPropertyValues("tributary.streams.deserialization.exception.handler="
					+ "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler")
			.run((context) -> assertThat(context.getBean(MeterRegistry.class)
				.get("tributary.processor.errors")
				.counters()).extracting((counter) -> counter.getId().getTag("kind"))
				.containsExactlyInAnyOrder("processing", "production"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserReadiness {

		@Bean
		ReadinessStateHealthIndicator readinessStateHealthIndicator(
				org.springframework.boot.availability.ApplicationAvailability availability) {
			return new ReadinessStateHealthIndicator(availability);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpoint {

		@Bean
		StreamsEndpoint myEndpoint(ProcessorRegistry registry) {
			return new StreamsEndpoint(registry);
		}

	}

}
