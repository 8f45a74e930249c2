package dev.tributary.autoconfigure;

import dev.tributary.actuate.StreamsHealthIndicator;
import dev.tributary.runtime.ProcessorRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code streams} component to {@code /actuator/health}.
 */
@AutoConfiguration(after = TributaryAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ProcessorRegistry.class)
@ConditionalOnEnabledHealthIndicator("streams")
public final class TributaryHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "streamsHealthIndicator")
	StreamsHealthIndicator streamsHealthIndicator(ProcessorRegistry registry) {
		return new StreamsHealthIndicator(registry);
	}

}
