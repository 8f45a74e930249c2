package dev.tributary.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.tributary.actuate.StreamsEndpoint;
import dev.tributary.actuate.StreamsHealthIndicator;
import dev.tributary.actuate.StreamsLivenessStateHealthIndicator;
import dev.tributary.actuate.StreamsReadinessStateHealthIndicator;
import dev.tributary.async.AsyncStepStats;
import dev.tributary.async.AsyncStepWorkers;
import dev.tributary.dashboard.DeadLetterBrowser;
import dev.tributary.dashboard.GroupLag;
import dev.tributary.errors.DeadLetterTopicCreator;
import dev.tributary.errors.ErrorReporter;
import dev.tributary.runtime.ProcessorRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Operates processors through Actuator: the {@code streams} health component,
 * readiness and liveness probes that follow the processors, and the {@code streams}
 * endpoint.
 */
@AutoConfiguration(after = { TributaryAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class },
		beforeName = { "org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration",
				"org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration" })
@ConditionalOnBean(ProcessorRegistry.class)
public final class TributaryHealthAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "streamsHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("streams")
		StreamsHealthIndicator streamsHealthIndicator(ProcessorRegistry registry,
				ObjectProvider<AsyncStepWorkers> asyncSteps) {
			return new StreamsHealthIndicator(registry, stepsOf(asyncSteps));
		}

		@Bean
		@ConditionalOnMissingBean(name = "readinessStateHealthIndicator")
		@ConditionalOnBean(ApplicationAvailability.class)
		@ConditionalOnBooleanProperty(name = "management.endpoint.health.probes.enabled", matchIfMissing = true)
		StreamsReadinessStateHealthIndicator readinessStateHealthIndicator(ApplicationAvailability availability,
				ProcessorRegistry registry, TributaryProperties properties) {
			return new StreamsReadinessStateHealthIndicator(availability, registry,
					properties.getHealth().isUnreadyWhenStopped());
		}

		@Bean
		@ConditionalOnMissingBean(name = "livenessStateHealthIndicator")
		@ConditionalOnBean(ApplicationAvailability.class)
		@ConditionalOnBooleanProperty(name = "management.endpoint.health.probes.enabled", matchIfMissing = true)
		StreamsLivenessStateHealthIndicator livenessStateHealthIndicator(ApplicationAvailability availability,
				ProcessorRegistry registry) {
			return new StreamsLivenessStateHealthIndicator(availability, registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	@ConditionalOnAvailableEndpoint(StreamsEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StreamsEndpoint streamsEndpoint(ProcessorRegistry registry, ObjectProvider<AsyncStepWorkers> asyncSteps,
				ObjectProvider<GroupLag> lag, ObjectProvider<DeadLetterBrowser> deadLetters, Environment environment) {
			// As Spring Boot's env and configprops endpoints: management.endpoint.<id>.show-values and .roles.
			Binder binder = Binder.get(environment);
			Show showValues = binder.bind("management.endpoint.streams.show-values", Show.class)
				.orElse(Show.WHEN_AUTHORIZED);
			Set<String> roles = new LinkedHashSet<>(
					binder.bind("management.endpoint.streams.roles", Bindable.setOf(String.class)).orElse(Set.of()));
			return new StreamsEndpoint(registry, stepsOf(asyncSteps), lag.getIfAvailable(),
					deadLetters.getIfAvailable(), showValues, roles);
		}

		/**
		 * Asks the cluster at most every 5 s per processor, only while someone asks, and
		 * keeps 5 minutes of samples at that rate.
		 */
		@Bean
		@ConditionalOnMissingBean
		GroupLag tributaryGroupLag() {
			return new GroupLag(Duration.ofSeconds(5), 60);
		}

		@Bean
		@ConditionalOnMissingBean
		DeadLetterBrowser tributaryDeadLetterBrowser(ObjectProvider<DeadLetterTopicCreator> topicCreator,
				ObjectProvider<AsyncStepWorkers> asyncSteps, ObjectProvider<ErrorReporter> errorReporter) {
			return new DeadLetterBrowser((processor) -> {
				Set<String> topics = new TreeSet<>();
				topicCreator.ifAvailable((creator) -> topics.addAll(creator.topics(processor)));
				asyncSteps.ifAvailable((workers) -> topics.addAll(workers.deadLetterTopics(processor)));
				return topics;
			}, (processor) -> {
				ErrorReporter reporter = errorReporter.getIfAvailable();
				return (reporter != null) ? reporter.handledCounts(processor) : Map.of();
			}, 50, Duration.ofSeconds(5));
		}

	}

	private static Function<String, List<AsyncStepStats>> stepsOf(ObjectProvider<AsyncStepWorkers> asyncSteps) {
		return (processor) -> {
			AsyncStepWorkers workers = asyncSteps.getIfAvailable();
			return (workers != null) ? workers.stats(processor) : List.of();
		};
	}

}
