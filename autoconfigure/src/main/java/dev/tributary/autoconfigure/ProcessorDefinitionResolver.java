package dev.tributary.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tributary.StreamProcessor;
import dev.tributary.errors.DeserializationErrorHandler;
import dev.tributary.errors.ErrorHandling;
import dev.tributary.errors.ErrorHandlingSettings;
import dev.tributary.errors.ProcessingErrorHandler;
import dev.tributary.errors.ProductionErrorHandler;
import dev.tributary.logging.LoggerLevels;
import dev.tributary.rocksdb.RocksDbStores;
import dev.tributary.runtime.CrashLoopLimit;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorDefinition;
import dev.tributary.runtime.SensitiveKeys;
import dev.tributary.runtime.TopologyFactory;
import dev.tributary.runtime.TopologyStores;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Turns the {@code @StreamProcessor} beans and the configuration into validated
 * processor definitions, failing start-up with a message that names the key at fault.
 * The auto-configuration uses it for the whole application; the test support uses it
 * to give a single processor exactly the configuration the runtime would.
 */
public final class ProcessorDefinitionResolver {

	private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

	private static final String PROPERTIES_KAFKA_CONNECTION_DETAILS = "org.springframework.boot.kafka.autoconfigure.PropertiesKafkaConnectionDetails";

	private static final String DEPRECATED_DESERIALIZATION_HANDLER = "default.deserialization.exception.handler";

	private static final String DEPRECATED_PRODUCTION_HANDLER = "default.production.exception.handler";

	private static final Pattern VALID_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");

	// "Invalid value <v> for configuration <key>[: ...]" or "Configuration '<key>' ..."
	private static final Pattern CONFIG_EXCEPTION_KEY = Pattern
		.compile("for configuration (\\S+?)(?::|$)|Configuration '([^']+)'", Pattern.MULTILINE);

	/** Logs Kafka's warnings about a topology as it is built. */
	private static final String TOPOLOGY_BUILDER_LOGGER = "org.apache.kafka.streams.processor.internals.InternalTopologyBuilder";

	private static final Log logger = LogFactory.getLog(ProcessorDefinitionResolver.class);

	private final Set<String> warnedKeys = ConcurrentHashMap.newKeySet();

	private final ListableBeanFactory beanFactory;

	private final TributaryProperties properties;

	private final KafkaProperties kafkaProperties;

	private final KafkaConnectionDetails connectionDetails;

	private final Environment environment;

	private final ErrorHandlingSettings.ErrorListener errorListener;

	private final @Nullable RocksDbStores rocksDbStores;

	/**
	 * Creates a resolver.
	 * @param beanFactory where to find the {@code @StreamProcessor} beans
	 * @param properties Tributary's properties
	 * @param kafkaProperties Spring Boot's Kafka properties
	 * @param connectionDetails the cluster to connect to
	 * @param environment the environment, for {@code spring.application.name} and
	 * explicitly configured bootstrap servers
	 * @param errorListener told about every record the processors' exception handlers
	 * deal with
	 * @param rocksDbStores the shared RocksDB memory budget and per-store options, or
	 * {@code null} for Kafka Streams' own RocksDB defaults
	 */
	public ProcessorDefinitionResolver(ListableBeanFactory beanFactory, TributaryProperties properties,
			KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails, Environment environment,
			ErrorHandlingSettings.ErrorListener errorListener, @Nullable RocksDbStores rocksDbStores) {
		this.beanFactory = beanFactory;
		this.properties = properties;
		this.kafkaProperties = kafkaProperties;
		this.connectionDetails = connectionDetails;
		this.environment = environment;
		this.errorListener = errorListener;
		this.rocksDbStores = (rocksDbStores != null && rocksDbStores.isActive()) ? rocksDbStores : null;
	}

	/**
	 * Resolves a definition for every {@code @StreamProcessor} bean, checking them
	 * against each other and against {@code tributary.processors.*}.
	 * @return the definitions, in bean definition order
	 * @throws ProcessorConfigurationException if anything is invalid
	 */
	public List<ProcessorDefinition> resolve() {
		Map<String, String> beanNamesByProcessor = findProcessorBeans();
		checkProcessorKeys(beanNamesByProcessor);
		Map<String, String> processorsByApplicationId = new LinkedHashMap<>();
		List<ProcessorDefinition> definitions = new ArrayList<>();
		for (Map.Entry<String, String> entry : beanNamesByProcessor.entrySet()) {
			String name = entry.getKey();
			ProcessorDefinition definition = define(name, this.beanFactory.getBean(entry.getValue()));
			String clash = processorsByApplicationId.putIfAbsent(definition.applicationId(), name);
			if (clash != null) {
				throw new ProcessorConfigurationException(key(name, "application-id"),
						"Processors '" + clash + "' and '" + name + "' both use application id '"
								+ definition.applicationId() + "'; every processor needs its own: set "
								+ key(name, "application-id") + " to a different value");
			}
			definitions.add(definition);
		}
		if (this.rocksDbStores != null) {
			this.rocksDbStores.warnAboutUnmatchedPatterns();
		}
		return definitions;
	}

	private Map<String, String> findProcessorBeans() {
		Map<String, String> beanNamesByProcessor = new LinkedHashMap<>();
		for (String beanName : this.beanFactory.getBeanNamesForAnnotation(StreamProcessor.class)) {
			StreamProcessor annotation = this.beanFactory.findAnnotationOnBean(beanName, StreamProcessor.class);
			if (annotation == null) {
				continue;
			}
			String name = annotation.value();
			if (!StringUtils.hasText(name) || !VALID_NAME.matcher(name).matches()) {
				throw new ProcessorConfigurationException(null, "@StreamProcessor on bean '" + beanName
						+ "' has the invalid name '" + name + "': give it a name of letters, digits, '.', '_' "
						+ "and '-', such as @StreamProcessor(\"word-count\")");
			}
			String other = beanNamesByProcessor.putIfAbsent(name, beanName);
			if (other != null) {
				throw new ProcessorConfigurationException(null, "Beans '" + other + "' and '" + beanName
						+ "' are both @StreamProcessor(\"" + name + "\"); processor names must be unique");
			}
		}
		return beanNamesByProcessor;
	}

	private void checkProcessorKeys(Map<String, String> beanNamesByProcessor) {
		for (String configured : this.properties.getProcessors().keySet()) {
			if (!beanNamesByProcessor.containsKey(configured)) {
				throw new ProcessorConfigurationException("tributary.processors." + configured,
						"tributary.processors." + configured + " matches no @StreamProcessor; processors: "
								+ beanNamesByProcessor.keySet());
			}
		}
		if (this.properties.getStreams().containsKey(StreamsConfig.APPLICATION_ID_CONFIG)) {
			throw new ProcessorConfigurationException("tributary.streams.application.id",
					"tributary.streams.application.id would give every processor the same application id; "
							+ "set tributary.processors.<name>.application-id instead");
		}
	}

	/**
	 * Resolves the definition of one processor on its own, as the runtime would.
	 * @param name the processor's name
	 * @param bean the {@code @StreamProcessor} bean
	 * @return the definition
	 * @throws ProcessorConfigurationException if anything is invalid
	 */
	public ProcessorDefinition define(String name, Object bean) {
		TributaryProperties.Processor processor = this.properties.getProcessors()
			.getOrDefault(name, new TributaryProperties.Processor());
		if (processor.getProperties().containsKey(StreamsConfig.APPLICATION_ID_CONFIG)) {
			throw new ProcessorConfigurationException(key(name, "properties.application.id"),
					"Set the application id with " + key(name, "application-id") + ", not "
							+ key(name, "properties.application.id"));
		}
		Properties streamsProperties = streamsProperties(name, processor);
		TopologyFactory topologyFactory = TopologyFactory.forBean(name, bean);
		try {
			StreamsConfig config = new StreamsConfig(streamsProperties);
			// StreamsConfig checks its own keys only; the clients' values (consumer.*,
			// producer.*, max.poll.records=abc ...) would fail only when the processor starts.
			// (Kafka Streams hands the clients their byte-array serializers itself.)
			Map<String, Object> consumer = new HashMap<>(config.getMainConsumerConfigs("check", "check", 0));
			consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
			consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
			ConsumerConfig.configDef().parse(consumer);
			Map<String, Object> producer = new HashMap<>(config.getProducerConfigs("check"));
			producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
			producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
			ProducerConfig.configDef().parse(producer);
			AdminClientConfig.configDef().parse(config.getAdminConfigs("check"));
		}
		catch (ConfigException ex) {
			throw invalidKafkaProperty(name, processor, streamsProperties, ex);
		}
		checkPropertyNames(name, processor);
		checkGroupInstanceId(name, processor, streamsProperties);
		// Build once now so a broken topology fails start-up, not the first start.
		Topology topology = buildToValidate(topologyFactory, streamsProperties);
		checkStoreNames(name, processor, TopologyStores.names(topology.describe()));
		if (this.rocksDbStores != null) {
			this.rocksDbStores.registerStoreNames(name, TopologyStores.names(topology.describe()));
		}
		Duration closeTimeout = orDefault(processor.getCloseTimeout(), this.properties.getCloseTimeout());
		if (closeTimeout.isNegative()) {
			throw new ProcessorConfigurationException(
					(processor.getCloseTimeout() != null) ? key(name, "close-timeout") : "tributary.close-timeout",
					"Processor '" + name + "' has a negative close timeout (" + closeTimeout
							+ "); give how long a stop may wait, such as 30s");
		}
		boolean autoStartup = (processor.getAutoStartup() != null) ? processor.getAutoStartup()
				: this.properties.isAutoStartup();
		return new ProcessorDefinition(name, streamsProperties, topologyFactory, autoStartup,
				closeTimeout,
				orDefault(processor.getUncaughtExceptionPolicy(), this.properties.getUncaughtExceptionPolicy()),
				crashLoopLimit(name, processor.getCrashLoop()));
	}

	/**
	 * Builds the topology to check it. Each start builds it again, and Kafka logs its
	 * warnings about the topology (such as the one on internal topics and stores it named
	 * itself) on every build: they are left to the build the processor runs, so that a
	 * start shows them once.
	 */
	private static Topology buildToValidate(TopologyFactory topologyFactory, Properties streamsProperties) {
		return new LoggerLevels(LoggingSystem.get(ProcessorDefinitionResolver.class.getClassLoader()))
			.callAt(TOPOLOGY_BUILDER_LOGGER, LogLevel.ERROR, () -> topologyFactory.build(streamsProperties));
	}

	private CrashLoopLimit crashLoopLimit(String name, TributaryProperties.ProcessorCrashLoop processor) {
		TributaryProperties.CrashLoop global = this.properties.getCrashLoop();
		int maxReplacements = orDefault(processor.getMaxReplacements(), global.getMaxReplacements());
		Duration window = orDefault(processor.getWindow(), global.getWindow());
		if (maxReplacements < 0) {
			throw new ProcessorConfigurationException(
					(processor.getMaxReplacements() != null) ? key(name, "crash-loop.max-replacements")
							: "tributary.crash-loop.max-replacements",
					"Processor '" + name + "' allows " + maxReplacements + " thread replacements; give 0 or more");
		}
		if (window.isNegative() || window.isZero()) {
			throw new ProcessorConfigurationException(
					(processor.getWindow() != null) ? key(name, "crash-loop.window") : "tributary.crash-loop.window",
					"Processor '" + name + "' has a crash-loop window of " + window
							+ "; give a positive duration, such as 5m");
		}
		return new CrashLoopLimit(maxReplacements, window);
	}

	private Properties streamsProperties(String name, TributaryProperties.Processor processor) {
		Map<String, Object> merged = new LinkedHashMap<>(this.kafkaProperties.buildStreamsProperties());
		KafkaConnectionDetails.Configuration cluster = this.connectionDetails.getStreams();
		if (!namesClusterOnlyInPropertiesMaps()) {
			merged.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.getBootstrapServers());
		}
		if (StringUtils.hasLength(cluster.getSecurityProtocol())) {
			merged.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, cluster.getSecurityProtocol());
		}
		SslBundle sslBundle = cluster.getSslBundle();
		if (sslBundle != null) {
			merged.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
			merged.put(SslBundle.class.getName(), sslBundle);
		}
		applyGuarantee(merged, orDefault(processor.getGuarantee(), this.properties.getGuarantee()));
		merged.putAll(this.properties.getStreams());
		merged.putAll(processor.getProperties());
		String applicationId = applicationId(name, processor);
		merged.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
		applyErrorHandling(merged, name, applicationId, processor.getErrors());
		checkBootstrapServers(name, merged.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
		Properties properties = new Properties();
		properties.putAll(merged);
		if (this.rocksDbStores != null) {
			checkNoOwnRocksDbConfigSetter(name, processor, merged);
			this.rocksDbStores.configure(name, properties);
		}
		return properties;
	}

	/**
	 * Sets Kafka Streams' processing guarantee and the commit interval that suits it,
	 * below the user's own Kafka Streams properties so those still win. A commit interval
	 * set anywhere by the user, {@code spring.kafka.streams.properties.*} included, is kept.
	 */
	private static void applyGuarantee(Map<String, Object> merged, TributaryProperties.@Nullable Guarantee guarantee) {
		if (guarantee == TributaryProperties.Guarantee.EXACTLY_ONCE) {
			merged.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
			merged.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
		}
		else if (guarantee == TributaryProperties.Guarantee.AT_LEAST_ONCE) {
			merged.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
		}
	}

	/**
	 * Installs Tributary's exception handlers with the processor's error handling,
	 * unless the user configured a handler of their own for that kind.
	 */
	private void applyErrorHandling(Map<String, Object> merged, String name, String applicationId,
			TributaryProperties.Errors processorErrors) {
		TributaryProperties.Errors global = this.properties.getErrors();
		ErrorHandling deserialization = orDefault(processorErrors.getDeserialization(),
				orDefault(global.getDeserialization(), ErrorHandling.DEAD_LETTER));
		ErrorHandling processing = orDefault(processorErrors.getProcessing(),
				orDefault(global.getProcessing(), ErrorHandling.DEAD_LETTER));
		ErrorHandling production = orDefault(processorErrors.getProduction(),
				orDefault(global.getProduction(), ErrorHandling.DEAD_LETTER));
		String template = orDefault(processorErrors.getDeadLetterTopic(),
				orDefault(global.getDeadLetterTopic(), "{application-id}-dlq"));
		String deadLetterTopic = template.replace("{application-id}", applicationId).replace("{processor}", name);
		checkDeadLetterTopic(name, deadLetterTopic,
				(processorErrors.getDeadLetterTopic() != null) ? key(name, "errors.dead-letter-topic")
						: "tributary.errors.dead-letter-topic");
		merged.put(ErrorHandlingSettings.CONFIG_KEY, new ErrorHandlingSettings(name, deserialization, processing,
				production, deadLetterTopic, this.errorListener));
		// A handler of the user's, under the current key or the deprecated 'default.' one
		// (which Kafka Streams ignores once the current key is set), wins.
		if (!merged.containsKey(DEPRECATED_DESERIALIZATION_HANDLER)) {
			merged.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
					DeserializationErrorHandler.class);
		}
		merged.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingErrorHandler.class);
		if (!merged.containsKey(DEPRECATED_PRODUCTION_HANDLER)) {
			merged.putIfAbsent(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionErrorHandler.class);
		}
	}

	/**
	 * Two config setters cannot both own a store's options, and quietly dropping the
	 * user's would hide a change in behaviour: fail and say which to remove.
	 */
	private void checkNoOwnRocksDbConfigSetter(String name, TributaryProperties.Processor processor,
			Map<String, Object> merged) {
		String setter = StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG;
		if (!merged.containsKey(setter)) {
			return;
		}
		String key;
		if (processor.getProperties().containsKey(setter)) {
			key = key(name, "properties." + setter);
		}
		else if (this.properties.getStreams().containsKey(setter)) {
			key = "tributary.streams." + setter;
		}
		else {
			key = "spring.kafka.streams.properties." + setter;
		}
		throw new ProcessorConfigurationException(key, "Processor '" + name + "' sets its own " + setter + " ("
				+ key + ") while tributary.rocksdb.* is configured, and only one of them can configure RocksDB: "
				+ "remove " + key + " and use tributary.rocksdb.* (total-off-heap-memory, stores.<pattern>.*), or "
				+ "remove tributary.rocksdb.* to keep your own setter");
	}

	private String applicationId(String name, TributaryProperties.Processor processor) {
		String applicationId = processor.getApplicationId();
		if (applicationId == null) {
			String applicationName = this.environment.getProperty("spring.application.name");
			if (!StringUtils.hasText(applicationName)) {
				throw new ProcessorConfigurationException("spring.application.name", "Processor '" + name
						+ "' needs an application id: set spring.application.name (the default id is "
						+ "'<spring.application.name>-" + name + "') or " + key(name, "application-id"));
			}
			applicationId = applicationName + "-" + name;
		}
		if (!VALID_NAME.matcher(applicationId).matches()) {
			throw new ProcessorConfigurationException(key(name, "application-id"),
					"Processor '" + name + "' has the invalid application id '" + applicationId
							+ "': Kafka Streams uses it in topic names, so only letters, digits, '.', '_' and '-' "
							+ "are allowed (set " + key(name, "application-id") + " or spring.application.name)");
		}
		return applicationId;
	}

	private void checkBootstrapServers(String name, @Nullable Object bootstrapServers) {
		boolean empty = bootstrapServers == null || !StringUtils.hasText(bootstrapServers.toString()
			.replace("[", "")
			.replace("]", ""));
		if ((empty || !clusterConfigured(name))
				&& this.environment.getProperty("tributary.dev-broker.enabled", Boolean.class, false)) {
			// Only without Kafka's server would the dev broker leave the cluster unnamed.
			throw TributaryDevBrokerAutoConfiguration.missingBroker();
		}
		if (empty || !clusterConfigured(name)) {
			throw new ProcessorConfigurationException("spring.kafka.bootstrap-servers", "Processor '" + name
					+ "' has no Kafka cluster to connect to: set spring.kafka.bootstrap-servers, or "
					+ "tributary.dev-broker.enabled=true for an in-process broker during development");
		}
	}

	/**
	 * Spring Boot defaults the bootstrap servers to localhost:9092; a processor silently
	 * connecting there in production is worse than failing, so some source must have
	 * named a cluster.
	 */
	private boolean clusterConfigured(String name) {
		if (!PROPERTIES_KAFKA_CONNECTION_DETAILS.equals(this.connectionDetails.getClass().getName())) {
			return true;
		}
		Binder binder = Binder.get(this.environment);
		for (String key : List.of("spring.kafka.bootstrap-servers", "spring.kafka.streams.bootstrap-servers",
				"spring.kafka.properties.bootstrap.servers", "spring.kafka.streams.properties.bootstrap.servers")) {
			if (binder.bind(key, String.class).isBound()) {
				return true;
			}
		}
		return this.properties.getStreams().containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
				|| this.properties.getProcessors()
					.getOrDefault(name, new TributaryProperties.Processor())
					.getProperties()
					.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
	}

	/**
	 * A dead-letter topic whose name Kafka refuses would only show when the first bad
	 * record cannot be sent: fail start-up instead.
	 */
	private static void checkDeadLetterTopic(String name, String topic, String key) {
		String sample = topic.replace(ErrorHandlingSettings.SOURCE_TOPIC_PLACEHOLDER, "source");
		if (!VALID_TOPIC.matcher(sample).matches() || sample.length() > 249) {
			throw new ProcessorConfigurationException(key, "Processor '" + name + "' has the dead-letter topic '"
					+ topic + "', which is not a valid topic name: use letters, digits, '.', '_' and '-' (at most 249)"
					+ " and the placeholders {application-id}, {processor} and {source-topic}");
		}
	}

	/**
	 * Static membership ({@code group.instance.id}, usually the pod name): Kafka Streams
	 * appends each thread's index, so a blank id (an unset {@code HOSTNAME}) would be
	 * accepted and give every instance the same member id, fencing one another.
	 */
	private void checkGroupInstanceId(String name, TributaryProperties.Processor processor,
			Properties streamsProperties) {
		for (String property : List.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
				StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
				StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))) {
			Object id = streamsProperties.get(property);
			if (id != null && (!VALID_NAME.matcher(id.toString()).matches() || id.toString().length() > 240)) {
				String key = processor.getProperties().containsKey(property) ? key(name, "properties." + property)
						: this.properties.getStreams().containsKey(property) ? "tributary.streams." + property
								: "spring.kafka.streams.properties." + property;
				throw new ProcessorConfigurationException(key, "Processor '" + name + "' has the " + property + " '"
						+ id + "', which is not a valid static member id: use letters, digits, '.', '_' and '-' "
						+ "(at most 240), unique per instance, such as the pod name (${HOSTNAME})");
			}
		}
	}

	/**
	 * Whether the cluster is named only in {@code spring.kafka[.streams].properties.*}:
	 * Spring Boot's property-based connection details do not read those maps and would
	 * replace the user's servers with the localhost:9092 default.
	 */
	private boolean namesClusterOnlyInPropertiesMaps() {
		if (!PROPERTIES_KAFKA_CONNECTION_DETAILS.equals(this.connectionDetails.getClass().getName())) {
			return false;
		}
		Binder binder = Binder.get(this.environment);
		return !binder.bind("spring.kafka.bootstrap-servers", String.class).isBound()
				&& !binder.bind("spring.kafka.streams.bootstrap-servers", String.class).isBound();
	}

	/**
	 * Kafka's message names the property without saying where it was set, and may echo
	 * a secret value: name the key the user wrote, and hide secrets.
	 */
	private ProcessorConfigurationException invalidKafkaProperty(String name, TributaryProperties.Processor processor,
			Properties streamsProperties, ConfigException ex) {
		String message = SensitiveKeys.redact(ex.getMessage(), streamsProperties);
		Matcher matcher = CONFIG_EXCEPTION_KEY.matcher(message);
		String kafkaKey = matcher.find() ? ((matcher.group(1) != null) ? matcher.group(1) : matcher.group(2)) : null;
		String key = (kafkaKey != null) ? sourceOf(name, processor, kafkaKey) : null;
		if (key == null) {
			key = key(name, "properties");
			return new ProcessorConfigurationException(key, "Processor '" + name
					+ "' has invalid Kafka Streams properties (tributary.streams.*, " + key(name, "properties.*")
					+ "): " + message, ex);
		}
		return new ProcessorConfigurationException(key,
				"Processor '" + name + "' has an invalid value in " + key + ": " + message, ex);
	}

	/**
	 * Where the user set a Kafka property that reached the clients as {@code kafkaKey},
	 * with or without a client prefix ({@code consumer.}, {@code producer.} ...).
	 */
	private @Nullable String sourceOf(String name, TributaryProperties.Processor processor, String kafkaKey) {
		String found = findKey(processor.getProperties(), kafkaKey);
		if (found != null) {
			return key(name, "properties." + found);
		}
		found = findKey(this.properties.getStreams(), kafkaKey);
		if (found != null) {
			return "tributary.streams." + found;
		}
		found = findKey(this.kafkaProperties.getStreams().getProperties(), kafkaKey);
		if (found != null) {
			return "spring.kafka.streams.properties." + found;
		}
		found = findKey(this.kafkaProperties.getProperties(), kafkaKey);
		return (found != null) ? "spring.kafka.properties." + found : null;
	}

	private static @Nullable String findKey(Map<String, String> properties, String kafkaKey) {
		if (properties.containsKey(kafkaKey)) {
			return kafkaKey;
		}
		return properties.keySet().stream().filter((key) -> key.endsWith("." + kafkaKey)).findFirst().orElse(null);
	}

	/**
	 * Kafka ignores a property it does not know, so a misspelt one would go unnoticed:
	 * warn, naming the closest known property, or fail with
	 * {@code tributary.strict-properties}. Unknown names with no close match may be
	 * read by the application's own classes (serdes, interceptors) and only get a warning.
	 */
	private void checkPropertyNames(String name, TributaryProperties.Processor processor) {
		Map<String, String> unknown = new LinkedHashMap<>();
		this.properties.getStreams().keySet().forEach((key) -> unknown.put(key, "tributary.streams." + key));
		processor.getProperties().keySet().forEach((key) -> unknown.put(key, key(name, "properties." + key)));
		unknown.keySet().removeIf(KafkaPropertyNames::isKnown);
		unknown.forEach((kafkaKey, key) -> {
			String closest = KafkaPropertyNames.closest(kafkaKey);
			if (closest != null && this.properties.isStrictProperties()) {
				throw new ProcessorConfigurationException(key, key + " is not a Kafka Streams, consumer, producer or "
						+ "admin property (did you mean " + closest + "?); Kafka would ignore it. Correct the name, "
						+ "or set tributary.strict-properties=false if your own classes read it");
			}
			if (this.warnedKeys.add(key)) {
				logger.warn(key + " is not a Kafka Streams, consumer, producer or admin property"
						+ ((closest != null) ? " (did you mean " + closest + "?)" : "")
						+ "; Kafka ignores it unless your own classes (serdes, interceptors ...) read it");
			}
		});
	}

	/**
	 * Settings of a store the topology does not have would be ignored until the first
	 * query of it failed: fail start-up, naming the stores there are.
	 */
	private static void checkStoreNames(String name, TributaryProperties.Processor processor, List<String> stores) {
		for (String store : processor.getStores().keySet()) {
			if (!stores.contains(store)) {
				String key = key(name, "stores." + store);
				throw new ProcessorConfigurationException(key, key + " names no state store of processor '" + name
						+ "'; its stores: " + stores);
			}
		}
	}

	private static <T> T orDefault(@Nullable T value, T defaultValue) {
		return (value != null) ? value : defaultValue;
	}

	private static String key(String processor, String property) {
		return "tributary.processors." + processor + "." + property;
	}

}
