package dev.tributary.autoconfigure;

import dev.tributary.async.AsyncStepWorkers;
import dev.tributary.metrics.AsyncStepMetrics;
import dev.tributary.metrics.ProcessorMetrics;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Publishes every processor's Kafka Streams metrics and Tributary's own meters to
 * Micrometer.
 */
@AutoConfiguration(before = TributaryAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics.class })
@ConditionalOnBean(MeterRegistry.class)
public final class TributaryMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProcessorMetrics tributaryProcessorMetrics(MeterRegistry registry, ObjectProvider<ProcessorRegistry> processors) {
		return new ProcessorMetrics(registry, processors::getObject);
	}

	@Bean
	@ConditionalOnMissingBean
	AsyncStepMetrics tributaryAsyncStepMetrics(MeterRegistry registry, ObjectProvider<AsyncStepWorkers> workers) {
		AsyncStepMetrics metrics = new AsyncStepMetrics(registry);
		workers.ifAvailable((available) -> available.addStepListener(metrics));
		return metrics;
	}

}
