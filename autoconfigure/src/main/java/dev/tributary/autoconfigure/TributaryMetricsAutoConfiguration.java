package dev.tributary.autoconfigure;

import java.time.Duration;

import dev.tributary.async.AsyncStepWorkers;
import dev.tributary.metrics.AsyncStepMetrics;
import dev.tributary.metrics.ProcessorMetrics;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Publishes every processor's Kafka Streams metrics and Tributary's own meters to
 * Micrometer.
 */
@AutoConfiguration(before = TributaryAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics.class })
@ConditionalOnBean(MeterRegistry.class)
@EnableConfigurationProperties(TributaryProperties.class)
public final class TributaryMetricsAutoConfiguration {

	private static final String REFRESH_INTERVAL = "tributary.metrics.refresh-interval";

	@Bean
	@ConditionalOnMissingBean
	ProcessorMetrics tributaryProcessorMetrics(MeterRegistry registry, ObjectProvider<ProcessorRegistry> processors,
			TributaryProperties properties) {
		Duration refresh = properties.getMetrics().getRefreshInterval();
		if (refresh == null || refresh.isNegative() || refresh.isZero()) {
			throw new ProcessorConfigurationException(REFRESH_INTERVAL,
					REFRESH_INTERVAL + " is " + refresh + "; it must be positive, such as 10s");
		}
		return new ProcessorMetrics(registry, processors::getObject, refresh);
	}

	@Bean
	@ConditionalOnMissingBean
	AsyncStepMetrics tributaryAsyncStepMetrics(MeterRegistry registry, ObjectProvider<AsyncStepWorkers> workers) {
		AsyncStepMetrics metrics = new AsyncStepMetrics(registry);
		workers.ifAvailable((available) -> available.addStepListener(metrics));
		return metrics;
	}

}
