package dev.tributary.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.tributary.StreamProcessor;
import dev.tributary.autoconfigure.ProcessorDefinitionResolver;
import dev.tributary.autoconfigure.TributaryProperties;
import dev.tributary.autoconfigure.TributaryRocksDbAutoConfiguration;
import dev.tributary.errors.ErrorReporter;
import dev.tributary.rocksdb.RocksDbStores;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorDefinition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ClassUtils;
import org.springframework.util.FileSystemUtils;

/**
 * Runs one {@link StreamProcessor @StreamProcessor} on Kafka's
 * {@link TopologyTestDriver}: no broker, no threads, records processed synchronously
 * as they are piped in. The topology is built with the configuration the runtime would
 * resolve for the processor (read from the classpath's configuration files exactly as
 * Spring Boot reads them, or from a running application's definition), in a temporary
 * state directory of its own that is deleted on {@link #close()}.
 *
 * <pre class="code">
 * try (ProcessorTestDriver driver = ProcessorTestDriver.of(new WordCount())) {
 *     driver.inputTopic("lines", Serdes.String(), Serdes.String()).pipeInput("a b a");
 *     assertThat(driver.&lt;String, Long&gt;keyValueStore("word-counts").get("a")).isEqualTo(2L);
 * }
 * </pre>
 */
public final class ProcessorTestDriver implements AutoCloseable {

	private final ProcessorDefinition definition;

	private final Path stateDir;

	private final @Nullable AutoCloseable resources;

	private final TopologyTestDriver driver;

	private ProcessorTestDriver(ProcessorDefinition definition, Instant initialWallClockTime,
			@Nullable AutoCloseable resources) {
		this.definition = definition;
		this.resources = resources;
		// Never the application's state.dir: it may hold a running or earlier instance's
		// RocksDB data under the same application id, and the driver cleans it on close.
		this.stateDir = temporaryStateDir();
		Properties properties = definition.streamsProperties();
		properties.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.toString());
		Properties driverProperties = new Properties();
		driverProperties.putAll(properties);
		// The driver commits after every record whatever the guarantee. Under exactly_once_v2
		// it loses the dead letter of a record that cannot be deserialized: that is sent in
		// a transaction it only commits once a record is processed, and it discards what is
		// uncommitted before that.
		driverProperties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
		try {
			this.driver = new TopologyTestDriver(definition.topologyFactory().build(properties), driverProperties,
					initialWallClockTime);
		}
		catch (RuntimeException ex) {
			closeResources();
			throw ex;
		}
	}

	/**
	 * A driver for a processor bean created by the test, configured from the
	 * application's configuration files on the classpath, without a Spring context.
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
	 * configuration files, and {@code spring.profiles.active} among them activates
	 * profiles
	 * @return the driver; close it after the test
	 */
	public static ProcessorTestDriver of(Object processor, Map<String, String> properties) {
		return of(processor, properties, Instant.now());
	}

	/**
	 * A driver for a processor bean created by the test, configured from the
	 * application's configuration files plus the given properties, with the wall clock
	 * starting at the given time.
	 * @param processor an instance of a {@code @StreamProcessor} class
	 * @param properties extra Spring properties; they override the configuration files
	 * @param initialWallClockTime the driver's wall-clock time at start
	 * @return the driver; close it after the test
	 */
	public static ProcessorTestDriver of(Object processor, Map<String, String> properties,
			Instant initialWallClockTime) {
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
		AnnotationConfigApplicationContext rocksDb = rocksDb(environment);
		try {
			RocksDbStores rocksDbStores = rocksDb.getBean(RocksDbStores.class);
			ProcessorDefinitionResolver resolver = new ProcessorDefinitionResolver(beans, tributary, kafka, cluster,
					environment, errors::errorHandled, rocksDbStores);
			ProcessorDefinition definition = resolver.define(name, processor);
			if (rocksDbStores.isActive()) {
				rocksDbStores.warnAboutUnmatchedPatterns();
			}
			return new ProcessorTestDriver(definition, initialWallClockTime, rocksDb);
		}
		catch (RuntimeException ex) {
			rocksDb.close();
			throw ex;
		}
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
	 * A driver for a processor definition, with the wall clock starting now, as
	 * {@link TopologyTestDriver} and its input topics do by default.
	 * @param definition the definition
	 * @return the driver; close it after the test
	 */
	public static ProcessorTestDriver of(ProcessorDefinition definition) {
		return of(definition, Instant.now());
	}

	/**
	 * A driver for a processor definition, with the wall clock starting at the given
	 * time; for a {@link ManagedProcessor}, pass its {@code definition()}.
	 * @param definition the definition
	 * @param initialWallClockTime the driver's wall-clock time at start
	 * @return the driver; close it after the test
	 */
	public static ProcessorTestDriver of(ProcessorDefinition definition, Instant initialWallClockTime) {
		return new ProcessorTestDriver(definition, initialWallClockTime, null);
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

	/**
	 * The driver's own temporary state directory, deleted on {@link #close()}.
	 * @return the state directory
	 */
	Path stateDir() {
		return this.stateDir;
	}

	/**
	 * Closes the test driver and its stores, releases the RocksDB memory the driver
	 * allocated and deletes its state directory.
	 */
	@Override
	public void close() {
		try {
			this.driver.close();
		}
		finally {
			closeResources();
		}
	}

	private void closeResources() {
		try {
			if (this.resources != null) {
				this.resources.close();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot close the test driver's RocksDB memory", ex);
		}
		finally {
			try {
				FileSystemUtils.deleteRecursively(this.stateDir);
			}
			catch (IOException ex) {
				// A leftover temporary directory is not worth failing a test for.
			}
		}
	}

	private <S> S requireStore(String name, S store) {
		if (store == null) {
			throw new IllegalArgumentException("Processor '" + this.definition.name() + "' has no store '" + name
					+ "' of that type; its stores: " + this.driver.getAllStateStores().keySet());
		}
		return store;
	}

	/**
	 * The environment the application would have: Spring Boot's own config data loading
	 * (profile documents, {@code application-<profile>.*}, {@code spring.config.import}),
	 * below the given properties.
	 */
	private static StandardEnvironment environment(Map<String, String> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", new LinkedHashMap<>(properties)));
		ConfigDataEnvironmentPostProcessor.applyTo(environment);
		// The test driver never connects: any application name and cluster will do.
		environment.getPropertySources()
			.addLast(new MapPropertySource("testDriverDefaults",
					Map.of("spring.application.name", "test", "spring.kafka.bootstrap-servers", "test-driver:9092")));
		return environment;
	}

	/**
	 * Tributary's RocksDB configuration ({@code tributary.rocksdb.*}) as the application
	 * would build and validate it; closing the context releases the shared memory.
	 */
	private static AnnotationConfigApplicationContext rocksDb(StandardEnvironment environment) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.setEnvironment(environment);
		context.register(TributaryRocksDbAutoConfiguration.class);
		try {
			context.refresh();
		}
		catch (RuntimeException ex) {
			context.close();
			Throwable cause = ex;
			while (cause != null) {
				if (cause instanceof ProcessorConfigurationException configurationException) {
					throw configurationException;
				}
				cause = cause.getCause();
			}
			throw ex;
		}
		return context;
	}

	private static Path temporaryStateDir() {
		try {
			return Files.createTempDirectory("tributary-test-driver-state-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
