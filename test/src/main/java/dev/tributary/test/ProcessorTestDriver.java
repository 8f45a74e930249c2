package dev.tributary.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.tributary.StreamProcessor;
import dev.tributary.autoconfigure.ProcessorDefinitionResolver;
import dev.tributary.autoconfigure.TributaryProperties;
import dev.tributary.errors.ErrorReporter;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorDefinition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;

/**
 * Runs one {@link StreamProcessor @StreamProcessor} on Kafka's
 * {@link TopologyTestDriver}: no broker, no threads, records processed synchronously
 * as they are piped in. The topology is built with the configuration the runtime would
 * resolve for the processor (Kafka Streams properties from {@code application.yml} or
 * {@code application.properties} on the classpath, or from a running application's
 * definition).
 *
 * <pre class="code">
 * try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount())) {
 *     driver.inputTopic("lines", Serdes.String(), Serdes.String()).pipeInput("a b a");
 *     assertThat(driver.&lt;String, Long&gt;keyValueStore("word-counts").get("a")).isEqualTo(2L);
 * }
 * </pre>
 */
public final class ProcessorTestDriver implements AutoCloseable {

	private static final List<String> CONFIG_FILES = List.of("application.properties", "application.yml",
			"application.yaml");

	private final ProcessorDefinition definition;

	private final TopologyTestDriver driver;

	private ProcessorTestDriver(ProcessorDefinition definition, Instant initialWallClockTime) {
		this.definition = definition;
		Properties properties = definition.streamsProperties();
		this.driver = new TopologyTestDriver(definition.topologyFactory().build(properties), properties,
				initialWallClockTime);
	}

	/**
	 * A driver for a processor bean created by the test, configured from the
	 * application's {@code application.yml} / {@code application.properties} on the
	 * classpath, without a Spring context.
	 * @param processor an instance of a {@code @StreamProcessor} class
	 * @return the driver; close it after the test
	 */
	public static ProcessorTestDriver of(Object processor) {
		return of(processor, Map.of());
	}

	/**
	 * A driver for a processor bean created by the test, configured from the
	 * application's configuration files plus the given properties.
	 * @param processor an instance of a {@code @StreamProcessor} class
	 * @param properties extra Spring properties, for example
	 * {@code Map.of("tributary.streams.default.key.serde", "...")}; they override the
	 * configuration files
	 * @return the driver; close it after the test
	 */
	public static ProcessorTestDriver of(Object processor, Map<String, String> properties) {
		MergedAnnotation<StreamProcessor> annotation = MergedAnnotations.from(ClassUtils.getUserClass(processor))
			.get(StreamProcessor.class);
		if (!annotation.isPresent()) {
			throw new IllegalArgumentException(
					processor.getClass().getName() + " is not annotated with @StreamProcessor");
		}
		String name = annotation.getString("value");
		StandardEnvironment environment = environment(properties);
		Binder binder = Binder.get(environment);
		TributaryProperties tributary = binder.bindOrCreate("tributary", TributaryProperties.class);
		KafkaProperties kafka = binder.bindOrCreate("spring.kafka", KafkaProperties.class);
		KafkaConnectionDetails cluster = kafka::getBootstrapServers;
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of(name, processor));
		ErrorReporter errors = new ErrorReporter(Duration.ofSeconds(10), List.of());
		ProcessorDefinitionResolver resolver = new ProcessorDefinitionResolver(beans, tributary, kafka, cluster,
				environment, errors::errorHandled, null);
		return of(resolver.define(name, processor));
	}

	/**
	 * A driver for a processor of a running application, with exactly its resolved
	 * configuration and its Spring-injected collaborators. Use it in a Spring test with
	 * the processors not started, for example
	 * {@code @StreamProcessorTest(kafka = false)}.
	 * @param processor the processor, from the {@code ProcessorRegistry}
	 * @return the driver; close it after the test
	 */
	public static ProcessorTestDriver of(ManagedProcessor processor) {
		return of(processor.definition());
	}

	/**
	 * A driver for a processor definition.
	 * @param definition the definition
	 * @return the driver; close it after the test
	 */
	public static ProcessorTestDriver of(ProcessorDefinition definition) {
		return new ProcessorTestDriver(definition, Instant.EPOCH);
	}

	/**
	 * An input topic to pipe records into.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param topic the topic name
	 * @param keySerde serializes keys
	 * @param valueSerde serializes values
	 * @return the input topic
	 */
	public <K, V> TestInputTopic<K, V> inputTopic(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
		return this.driver.createInputTopic(topic, keySerde.serializer(), valueSerde.serializer());
	}

	/**
	 * An output topic to read what the processor produced.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param topic the topic name
	 * @param keySerde deserializes keys
	 * @param valueSerde deserializes values
	 * @return the output topic
	 */
	public <K, V> TestOutputTopic<K, V> outputTopic(String topic, Serde<K> keySerde, Serde<V> valueSerde) {
		return this.driver.createOutputTopic(topic, keySerde.deserializer(), valueSerde.deserializer());
	}

	/**
	 * A key-value store of the processor (plain or timestamped; a timestamped store is
	 * read without its timestamps).
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name the store name
	 * @return the store
	 * @throws IllegalArgumentException if the topology has no key-value store of that
	 * name; the message lists the stores it has
	 */
	public <K, V> KeyValueStore<K, V> keyValueStore(String name) {
		return requireStore(name, this.driver.getKeyValueStore(name));
	}

	/**
	 * A window store of the processor.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name the store name
	 * @return the store
	 */
	public <K, V> WindowStore<K, V> windowStore(String name) {
		return requireStore(name, this.driver.getWindowStore(name));
	}

	/**
	 * A session store of the processor.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name the store name
	 * @return the store
	 */
	public <K, V> SessionStore<K, V> sessionStore(String name) {
		return requireStore(name, this.driver.getSessionStore(name));
	}

	/**
	 * Advances wall-clock time, firing wall-clock punctuations.
	 * @param advance how far to advance
	 */
	public void advanceWallClockTime(Duration advance) {
		this.driver.advanceWallClockTime(advance);
	}

	/**
	 * The underlying Kafka test driver, for everything else.
	 * @return the driver
	 */
	public TopologyTestDriver driver() {
		return this.driver;
	}

	/**
	 * The definition the driver runs, with its resolved Kafka Streams properties.
	 * @return the definition
	 */
	public ProcessorDefinition definition() {
		return this.definition;
	}

	@Override
	public void close() {
		this.driver.close();
	}

	private <S> S requireStore(String name, S store) {
		if (store == null) {
			throw new IllegalArgumentException("Processor '" + this.definition.name() + "' has no store '" + name
					+ "' of that type; its stores: " + this.driver.getAllStateStores().keySet());
		}
		return store;
	}

	private static StandardEnvironment environment(Map<String, String> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		sources.addFirst(new MapPropertySource("test", new LinkedHashMap<>(properties)));
		for (String file : CONFIG_FILES) {
			Resource resource = new ClassPathResource(file);
			if (resource.exists()) {
				PropertySourceLoader loader = file.endsWith(".properties") ? new PropertiesPropertySourceLoader()
						: new YamlPropertySourceLoader();
				try {
					for (PropertySource<?> source : loader.load(file, resource)) {
						sources.addLast(source);
					}
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Cannot read " + file, ex);
				}
			}
		}
		// The test driver never connects: any application name and cluster will do.
		sources.addLast(new MapPropertySource("testDriverDefaults",
				Map.of("spring.application.name", "test", "spring.kafka.bootstrap-servers", "test-driver:9092")));
		return environment;
	}

}
