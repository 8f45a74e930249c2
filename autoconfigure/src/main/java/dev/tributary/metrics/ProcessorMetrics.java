package dev.tributary.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import dev.tributary.errors.ErrorHandling;
import dev.tributary.errors.ErrorHandlingSettings;
import dev.tributary.errors.ErrorKind;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.runtime.StoreRestoration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Publishes every processor's metrics to Micrometer: all of Kafka Streams' own metrics
 * (threads, tasks, processor nodes, state stores including RocksDB's where recorded)
 * through Micrometer's {@link KafkaStreamsMetrics} binder, and Tributary's meters:
 *
 * <ul>
 * <li>{@code tributary.processor.state}: 1 for the processor's current Kafka Streams
 * state, 0 for the others (tag {@code state});</li>
 * <li>{@code tributary.processor.state.transitions}: state changes (tags {@code from},
 * {@code to});</li>
 * <li>{@code tributary.processor.uncaught.exceptions}: stream threads killed by an
 * uncaught exception (its class is in health's {@code lastError} and the log);</li>
 * <li>{@code tributary.processor.thread.replacements}: dead stream threads replaced
 * under the replace-thread policy; past the crash-loop limit the processor shuts down
 * instead;</li>
 * <li>{@code tributary.processor.dead.letter.failures}: dead letters that could not be
 * written, which stop the processor (tags {@code topic} and {@code exception});</li>
 * <li>{@code tributary.processor.restore.restored} and
 * {@code tributary.processor.restore.remaining}: restored and remaining records per
 * store (tag {@code store});</li>
 * <li>{@code tributary.processor.threads.alive} and {@code tributary.processor.paused};</li>
 * <li>{@code tributary.processor.errors}: records that failed, by {@code kind}
 * (deserialization, processing, production) and {@code outcome} (fail,
 * log-and-continue, dead-letter).</li>
 * </ul>
 * Every meter is tagged with {@code processor} and {@code application.id}. The counters
 * whose tags are known up front (errors by kind and outcome, uncaught exceptions, thread
 * replacements) exist at zero from the start, so that alerts such as
 * {@code increase(...[5m]) > 0} see the first increment.
 */
public class ProcessorMetrics
		implements ProcessorListener, ErrorHandlingSettings.ErrorListener, SmartInitializingSingleton, DisposableBean {

	private final MeterRegistry registry;

	private final Supplier<ProcessorRegistry> processors;

	private final Map<KafkaStreams, KafkaStreamsMetrics> bound = new ConcurrentHashMap<>();

	private final Set<String> storeGauges = ConcurrentHashMap.newKeySet();

	private final Duration refreshInterval;

	// Each run's refresh thread: Micrometer never cancels its refresh on a scheduler it
	// is given, so each binder gets one of its own, shut down with it.
	private final Map<KafkaStreams, ScheduledExecutorService> refreshers = new ConcurrentHashMap<>();

	/**
	 * Creates the metrics for the application's processors.
	 * @param registry where to publish
	 * @param processors the processors, looked up once all singletons exist (the registry
	 * itself depends on this listener)
	 * @param refreshInterval how often the meters are matched against Kafka Streams'
	 * metrics, which come and go with tasks, stores and threads
	 */
	public ProcessorMetrics(MeterRegistry registry, Supplier<ProcessorRegistry> processors, Duration refreshInterval) {
		this.registry = registry;
		this.processors = processors;
		this.refreshInterval = refreshInterval;
	}

	/**
	 * Creates the metrics for the application's processors, refreshed every 10 seconds.
	 * @param registry where to publish
	 * @param processors the processors, looked up once all singletons exist
	 */
	public ProcessorMetrics(MeterRegistry registry, Supplier<ProcessorRegistry> processors) {
		this(registry, processors, Duration.ofSeconds(10));
	}

	@Override
	public void destroy() {
		this.refreshers.values().forEach(ScheduledExecutorService::shutdownNow);
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (ManagedProcessor processor : this.processors.get().processors()) {
			Tags tags = tags(processor);
			for (State state : State.values()) {
				Gauge.builder("tributary.processor.state", processor, (p) -> (p.state() == state) ? 1 : 0)
					.tags(tags.and("state", state.name()))
					.description("1 for the processor's current Kafka Streams state, 0 for the others")
					.register(this.registry);
			}
			Gauge.builder("tributary.processor.threads.alive", processor, ManagedProcessor::aliveThreadCount)
				.tags(tags)
				.description("Stream threads neither dead nor dying")
				.register(this.registry);
			threadReplacements(processor);
			uncaughtExceptions(processor);
			ErrorHandlingSettings.handledByTributary(processor.definition().streamsProperties())
				.forEach((kind, handling) -> errors(processor.name(), kind, handling));
			Gauge.builder("tributary.processor.paused", processor, (p) -> p.isPaused() ? 1 : 0)
				.tags(tags)
				.description("1 while the processor is paused")
				.register(this.registry);
		}
	}

	@Override
	public void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
		ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "tributary-metrics-" + processor.name());
			thread.setDaemon(true);
			return thread;
		});
		this.refreshers.put(streams, refresher);
		KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, tags(processor), refresher,
				this.refreshInterval);
		binder.bindTo(this.registry);
		this.bound.put(streams, binder);
		for (String store : processor.storeNames()) {
			if (this.storeGauges.add(processor.name() + "/" + store)) {
				Tags tags = tags(processor).and("store", store);
				Gauge.builder("tributary.processor.restore.restored", processor,
						(p) -> restoration(p, store, StoreRestoration::restoredRecords))
					.tags(tags)
					.description("Records restored into the store from its changelog since the processor started")
					.register(this.registry);
				Gauge.builder("tributary.processor.restore.remaining", processor,
						(p) -> restoration(p, store, StoreRestoration::remainingRecords))
					.tags(tags)
					.description("Records still to restore into the store")
					.register(this.registry);
			}
		}
	}

	@Override
	public void streamsClosed(ManagedProcessor processor, KafkaStreams streams) {
		ScheduledExecutorService refresher = this.refreshers.remove(streams);
		if (refresher != null) {
			refresher.shutdownNow();
		}
		KafkaStreamsMetrics binder = this.bound.remove(streams);
		if (binder != null) {
			binder.close();
		}
	}

	@Override
	public void stateChanged(ManagedProcessor processor, State newState, State oldState) {
		Counter.builder("tributary.processor.state.transitions")
			.tags(tags(processor).and("from", oldState.name(), "to", newState.name()))
			.description("Kafka Streams state changes of the processor")
			.register(this.registry)
			.increment();
	}

	@Override
	public void uncaughtException(ManagedProcessor processor, Throwable exception) {
		uncaughtExceptions(processor).increment();
	}

	private Counter uncaughtExceptions(ManagedProcessor processor) {
		return Counter.builder("tributary.processor.uncaught.exceptions")
			.tags(tags(processor))
			.description("Stream threads killed by an uncaught exception")
			.register(this.registry);
	}

	@Override
	public void threadReplaced(ManagedProcessor processor, Throwable exception) {
		threadReplacements(processor).increment();
	}

	private Counter threadReplacements(ManagedProcessor processor) {
		return Counter.builder("tributary.processor.thread.replacements")
			.tags(tags(processor))
			.description("Dead stream threads replaced; past the crash-loop limit the processor shuts down instead")
			.register(this.registry);
	}

	@Override
	public void errorHandled(String processor, ErrorKind kind, ErrorHandling handling, ErrorHandlerContext context,
			Exception exception) {
		errors(processor, kind, handling).increment();
	}

	private Counter errors(String processor, ErrorKind kind, ErrorHandling handling) {
		return Counter.builder("tributary.processor.errors")
			.tags("processor", processor, "kind", kind.tag(), "outcome", handling.tag())
			.description("Records that failed to deserialize, process or be produced, by what was done with them")
			.register(this.registry);
	}

	@Override
	public void deadLetterFailed(String processor, String topic, Exception exception) {
		Counter.builder("tributary.processor.dead.letter.failures")
			.tags("processor", processor, "topic", topic, "exception", exception.getClass().getName())
			.description("Dead letters that could not be written; each one stops its processor")
			.register(this.registry)
			.increment();
	}

	private static double restoration(ManagedProcessor processor, String store,
			java.util.function.ToLongFunction<StoreRestoration> value) {
		return processor.restorations()
			.stream()
			.filter((restoration) -> restoration.store().equals(store))
			.mapToLong(value)
			.sum();
	}

	private static Tags tags(ManagedProcessor processor) {
		return Tags.of("processor", processor.name(), "application.id", processor.applicationId());
	}

}
