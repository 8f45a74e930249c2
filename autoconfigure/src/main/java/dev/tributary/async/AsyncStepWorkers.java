package dev.tributary.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.tributary.errors.ErrorHandling;
import dev.tributary.errors.ErrorHandlingSettings;
import dev.tributary.runtime.ClientSettings;
import dev.tributary.runtime.CreatedTopics;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.jspecify.annotations.Nullable;

/**
 * Runs the async steps of every processor beside its {@code KafkaStreams}: before each
 * start it creates the steps' topics if missing and starts one worker per step; after each
 * stop it stops them. Also the place to read each step's {@link AsyncStepStats}.
 */
public class AsyncStepWorkers implements ProcessorListener {

	private static final Log logger = LogFactory.getLog(AsyncStepWorkers.class);

	private final Function<String, Map<String, AsyncStepOptions.Overrides>> overrides;

	private final Map<String, AsyncSteps.Collector> collectors = new ConcurrentHashMap<>();

	private final Map<String, Running> running = new ConcurrentHashMap<>();

	private final List<StepListener> stepListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

	/**
	 * Creates the workers' manager.
	 * @param overrides the options from configuration of a processor's steps, by step name
	 */
	public AsyncStepWorkers(Function<String, Map<String, AsyncStepOptions.Overrides>> overrides) {
		this.overrides = overrides;
	}

	/**
	 * The steps of a processor that runs on this instance, with what they are doing.
	 * @param processor the processor's name
	 * @return one entry per step, empty when the processor has none or is stopped
	 */
	public List<AsyncStepStats> stats(String processor) {
		Running current = this.running.get(processor);
		return (current != null) ? current.stats() : List.of();
	}

	/**
	 * The topics the async steps of a processor running on this instance send dead
	 * letters to.
	 * @param processor the processor's name
	 * @return the topic names, sorted; empty when the processor has no step that sends
	 * dead letters, or is stopped
	 */
	public Set<String> deadLetterTopics(String processor) {
		Running current = this.running.get(processor);
		return (current != null) ? current.deadLetterTopics() : Set.of();
	}

	/**
	 * Tells {@code listener} whenever a step starts or stops on this instance (to bind and
	 * remove its meters).
	 * @param listener the listener
	 */
	public void addStepListener(StepListener listener) {
		this.stepListeners.add(listener);
	}

	@Override
	public void configure(ManagedProcessor processor, Properties streamsProperties) {
		AsyncSteps.Collector collector = new AsyncSteps.Collector();
		this.collectors.put(processor.name(), collector);
		streamsProperties.put(AsyncSteps.CONFIG_KEY, collector);
	}

	@Override
	public void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
		AsyncSteps.Collector collector = this.collectors.remove(processor.name());
		List<AsyncStep<?, ?, ?>> steps = (collector != null) ? collector.steps() : List.of();
		if (steps.isEmpty()) {
			return;
		}
		Properties properties = processor.definition().streamsProperties();
		Map<String, AsyncStepOptions.Overrides> configured = this.overrides.apply(processor.name());
		Set<String> names = steps.stream().map(AsyncStep::name).collect(Collectors.toCollection(TreeSet::new));
		for (String name : configured.keySet()) {
			if (!names.contains(name)) {
				throw new ProcessorConfigurationException("tributary.processors." + processor.name() + ".async." + name,
						"'tributary.processors." + processor.name() + ".async." + name + "' configures an async step "
								+ "that processor '" + processor.name() + "' does not have; its steps are " + names);
			}
		}
		List<AsyncStepDefinition<?, ?, ?>> definitions = new ArrayList<>();
		for (AsyncStep<?, ?, ?> step : steps) {
			definitions.add(define(processor, step, configured.get(step.name()), properties));
		}
		createTopics(processor, definitions, topology.describe(), properties);
		List<AsyncStepWorker<?, ?, ?>> workers = new ArrayList<>();
		List<AsyncStepStats> stats = new ArrayList<>();
		List<AsyncStepClients> created = new ArrayList<>();
		try {
			for (AsyncStepDefinition<?, ?, ?> definition : definitions) {
				AsyncStepStats stepStats = new AsyncStepStats(processor.name(), definition.step().name());
				AsyncStepClients clients = AsyncStepClients.create(definition, properties);
				created.add(clients);
				workers.add(new AsyncStepWorker<>(definition, clients, stepStats, processor::reportFailure,
						processor::isPaused));
				stats.add(stepStats);
			}
		}
		catch (RuntimeException ex) {
			created.forEach(AsyncStepClients::close);
			throw ex;
		}
		Set<String> deadLetterTopics = definitions.stream()
			.filter((definition) -> definition.errorHandling() == ErrorHandling.DEAD_LETTER)
			.map(AsyncStepDefinition::deadLetterTopic)
			.collect(Collectors.toCollection(TreeSet::new));
		this.running.put(processor.name(), new Running(workers, stats, Collections.unmodifiableSet(deadLetterTopics)));
		stats.forEach((step) -> this.stepListeners.forEach((listener) -> listener.stepStarted(processor, step)));
		workers.forEach(AsyncStepWorker::start);
		logger.info("Processor '" + processor.name() + "': started async steps "
				+ definitions.stream().map((d) -> d.step().name() + " (max " + d.options().maxInFlight() + " in flight)")
					.collect(Collectors.joining(", ")));
	}

	@Override
	public void streamsClosed(ManagedProcessor processor, KafkaStreams streams) {
		Running current = this.running.remove(processor.name());
		if (current == null) {
			return;
		}
		Duration timeout = processor.definition().closeTimeout();
		for (AsyncStepWorker<?, ?, ?> worker : current.workers()) {
			if (!worker.stop(timeout)) {
				logger.warn("Processor '" + processor.name() + "': an async step did not stop within " + timeout);
			}
		}
		current.stats()
			.forEach((step) -> this.stepListeners.forEach((listener) -> listener.stepStopped(processor, step)));
	}

	private <K, V, R> AsyncStepDefinition<K, V, R> define(ManagedProcessor processor, AsyncStep<K, V, R> step,
			AsyncStepOptions.@Nullable Overrides configured, Properties properties) {
		AsyncStepOptions options = step.options().over(AsyncStepOptions.DEFAULTS);
		if (configured != null) {
			options = configured.over(options);
		}
		StreamsConfig config = ClientSettings.quietConfig(ClientSettings.of(properties));
		boolean exactlyOnce = !StreamsConfig.AT_LEAST_ONCE.equals(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
		Duration commitInterval = Duration.ofMillis(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
		ErrorHandling handling = ErrorHandling.DEAD_LETTER;
		String deadLetterTopic = processor.applicationId() + "-dlq";
		String requests = AsyncStepDefinition.requestsTopic(processor.applicationId(), step.name());
		if (properties.get(ErrorHandlingSettings.CONFIG_KEY) instanceof ErrorHandlingSettings settings) {
			handling = settings.processing();
			deadLetterTopic = settings.deadLetterTopic().replace(ErrorHandlingSettings.SOURCE_TOPIC_PLACEHOLDER, requests);
		}
		AsyncStepDefinition<K, V, R> definition = new AsyncStepDefinition<>(processor.name(), processor.applicationId(),
				step, options, exactlyOnce, commitInterval, handling, deadLetterTopic);
		try {
			options.validate(definition.configPrefix());
			step.keySerde();
			step.valueSerde();
			step.resultSerde();
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new ProcessorConfigurationException(definition.configPrefix(), ex.getMessage(), ex);
		}
		return definition;
	}

	private void createTopics(ManagedProcessor processor, List<AsyncStepDefinition<?, ?, ?>> definitions,
			TopologyDescription topology, Properties properties) {
		Set<String> stepTopics = new TreeSet<>();
		definitions.forEach((definition) -> {
			stepTopics.add(definition.requestsTopic());
			stepTopics.add(definition.resultsTopic());
		});
		try (Admin admin = ClientSettings.admin(properties, processor.applicationId() + "-async-admin")) {
			Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
			int sourcePartitions = sourcePartitions(admin, topology, stepTopics, existing);
			List<NewTopic> missing = new ArrayList<>();
			Map<String, Integer> created = new HashMap<>();
			for (AsyncStepDefinition<?, ?, ?> definition : definitions) {
				int partitions = (definition.options().partitions() > 0) ? definition.options().partitions()
						: sourcePartitions;
				for (String topic : List.of(definition.requestsTopic(), definition.resultsTopic())) {
					if (!existing.contains(topic)) {
						missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
						created.put(topic, partitions);
					}
				}
				if (definition.errorHandling() == ErrorHandling.DEAD_LETTER
						&& !existing.contains(definition.deadLetterTopic())
						&& missing.stream().noneMatch((topic) -> topic.name().equals(definition.deadLetterTopic()))) {
					missing.add(new NewTopic(definition.deadLetterTopic(), Optional.empty(), Optional.empty()));
				}
			}
			if (!missing.isEmpty()) {
				try {
					admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof TopicExistsException)) {
						throw ex;
					}
				}
				CreatedTopics.awaitServed(admin, created, Duration.ofSeconds(30));
				logger.info("Processor '" + processor.name() + "': created async step topics " + created);
			}
			requireSamePartitions(admin, processor, definitions);
		}
		catch (ProcessorConfigurationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("Processor '" + processor.name() + "': could not create the topics of its "
					+ "async steps " + stepTopics + "; create them (each requests topic with as many partitions as its "
					+ "results topic) or give the processor rights to: " + ex, ex);
		}
	}

	private static int sourcePartitions(Admin admin, TopologyDescription topology, Set<String> stepTopics,
			Set<String> existing) throws Exception {
		Set<String> sources = new TreeSet<>();
		for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
			for (TopologyDescription.Node node : subtopology.nodes()) {
				if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
					source.topicSet()
						.stream()
						.filter((topic) -> !stepTopics.contains(topic) && existing.contains(topic))
						.forEach(sources::add);
				}
			}
		}
		if (sources.isEmpty()) {
			return 1;
		}
		Map<String, TopicDescription> descriptions = admin.describeTopics(sources).allTopicNames().get(30,
				TimeUnit.SECONDS);
		return descriptions.values().stream().mapToInt((description) -> description.partitions().size()).max().orElse(1);
	}

	private static void requireSamePartitions(Admin admin, ManagedProcessor processor,
			List<AsyncStepDefinition<?, ?, ?>> definitions) throws Exception {
		for (AsyncStepDefinition<?, ?, ?> definition : definitions) {
			Map<String, TopicDescription> topics = admin
				.describeTopics(List.of(definition.requestsTopic(), definition.resultsTopic()))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS);
			int requests = topics.get(definition.requestsTopic()).partitions().size();
			int results = topics.get(definition.resultsTopic()).partitions().size();
			if (results != requests) {
				throw new ProcessorConfigurationException(definition.configPrefix(), "Processor '" + processor.name()
						+ "': async step '" + definition.step().name() + "' writes each result to its request's "
						+ "partition, so both topics need the same partition count, but '" + definition.resultsTopic()
						+ "' has " + results + " and '" + definition.requestsTopic() + "' " + requests);
			}
		}
	}

	/**
	 * Told when a processor's async steps start and stop on this instance.
	 */
	public interface StepListener {

		/**
		 * A step has started with its processor.
		 * @param processor the processor
		 * @param step the step's statistics, live until it stops
		 */
		void stepStarted(ManagedProcessor processor, AsyncStepStats step);

		/**
		 * A step has stopped with its processor.
		 * @param processor the processor
		 * @param step the step's statistics
		 */
		void stepStopped(ManagedProcessor processor, AsyncStepStats step);

	}

	private record Running(List<AsyncStepWorker<?, ?, ?>> workers, List<AsyncStepStats> stats,
			Set<String> deadLetterTopics) {

	}

}
