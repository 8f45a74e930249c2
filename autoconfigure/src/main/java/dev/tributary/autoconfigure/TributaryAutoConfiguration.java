package dev.tributary.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import dev.tributary.async.AsyncStepOptions;
import dev.tributary.async.AsyncStepWorkers;
import dev.tributary.errors.DeadLetterSenders;
import dev.tributary.errors.DeadLetterTopicCreator;
import dev.tributary.errors.ErrorHandlingSettings;
import dev.tributary.errors.ErrorReporter;
import dev.tributary.errors.HandledErrorLogLevels;
import dev.tributary.errors.SourceRecordReaders;
import dev.tributary.logging.NotYetCreatedTopicWarnings;
import dev.tributary.rocksdb.RocksDbStores;
import dev.tributary.runtime.ProcessorDefinition;
import dev.tributary.runtime.ProcessorListener;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Runs every {@link dev.tributary.StreamProcessor @StreamProcessor} bean as a managed
 * Kafka Streams application.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaStreams.class)
@EnableConfigurationProperties({ TributaryProperties.class, KafkaProperties.class })
public final class TributaryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ErrorReporter tributaryErrorReporter(ObjectProvider<ErrorHandlingSettings.ErrorListener> listeners) {
		return new ErrorReporter(Duration.ofSeconds(10), listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	AsyncStepWorkers tributaryAsyncStepWorkers(TributaryProperties properties) {
		return new AsyncStepWorkers((processor) -> {
			TributaryProperties.Processor settings = properties.getProcessors().get(processor);
			Map<String, AsyncStepOptions.Overrides> overrides = new LinkedHashMap<>();
			if (settings != null) {
				settings.getAsync().forEach((step, async) -> overrides.put(step, overrides(async)));
			}
			return overrides;
		});
	}

	private static AsyncStepOptions.Overrides overrides(TributaryProperties.AsyncStep async) {
		DataSize maxBufferedBytes = async.getMaxBufferedBytes();
		return AsyncStepOptions.overrides()
			.maxInFlight(async.getMaxInFlight())
			.maxInFlightPerKey(async.getMaxInFlightPerKey())
			.timeout(async.getTimeout())
			.retries(async.getRetries())
			.backoff(async.getBackoff())
			.maxBufferedRecords(async.getMaxBufferedRecords())
			.maxBufferedBytes((maxBufferedBytes != null) ? maxBufferedBytes.toBytes() : null)
			.partitions(async.getPartitions());
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterTopicCreator tributaryDeadLetterTopicCreator() {
		return new DeadLetterTopicCreator();
	}

	@Bean
	@ConditionalOnMissingBean
	SourceRecordReaders tributarySourceRecordReaders() {
		return new SourceRecordReaders();
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterSenders tributaryDeadLetterSenders() {
		return new DeadLetterSenders();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(LoggingSystem.class)
	HandledErrorLogLevels tributaryHandledErrorLogLevels(LoggingSystem loggingSystem) {
		return new HandledErrorLogLevels(loggingSystem);
	}

	@Bean
	@ConditionalOnMissingBean
	ProcessorRegistry processorRegistry(ListableBeanFactory beanFactory, TributaryProperties properties,
			KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails, Environment environment,
			ObjectProvider<ProcessorListener> listeners, ObjectProvider<StateRestoreListener> restoreListeners,
			ErrorReporter errorReporter, ObjectProvider<RocksDbStores> rocksDbStores) {
		ProcessorDefinitionResolver resolver = new ProcessorDefinitionResolver(beanFactory, properties,
				kafkaProperties, connectionDetails, environment, errorReporter.asListener(),
				rocksDbStores.getIfAvailable());
		// Validated before the listeners exist: a bad configuration fails before anything starts.
		List<ProcessorDefinition> definitions = resolver.resolve();
		List<ProcessorListener> orderedListeners = listeners.orderedStream().toList();
		return new ProcessorRegistry(definitions, orderedListeners, restoreListeners.orderedStream().toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
	@ConditionalOnBean(type = "org.springframework.boot.logging.logback.LogbackLoggingSystem")
	static class LogbackConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NotYetCreatedTopicWarnings tributaryNotYetCreatedTopicWarnings() {
			return new NotYetCreatedTopicWarnings((LoggerContext) LoggerFactory.getILoggerFactory());
		}

	}

}
