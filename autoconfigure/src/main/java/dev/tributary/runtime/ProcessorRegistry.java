package dev.tributary.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.processor.StateRestoreListener;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The application's processors: look them up, read their state and
 * {@code KafkaStreams}, start and stop them.
 *
 * <p>As a {@link SmartLifecycle} in phase {@value #PHASE}, the registry starts every
 * auto-startup processor once the application context is refreshed, after the web
 * server and a separate management server (phase {@code Integer.MAX_VALUE - 1536}) have
 * started, so that the port other instances reach Actuator on is known when a processor
 * advertises it. Each processor's topology and {@code KafkaStreams} are built
 * there, so an invalid one fails the start-up, but each starts on its own thread:
 * loading global stores does not hold up the application (whose liveness waits for
 * the refresh) or the other processors. On shutdown it stops them after the web server's graceful
 * shutdown has drained in-flight requests (phase {@code Integer.MAX_VALUE - 1024}) and
 * before the management and web servers stop, so requests that read state stores
 * finish first and health reports the processors' stop.
 */
public class ProcessorRegistry implements SmartLifecycle, DisposableBean {

	/**
	 * The lifecycle phase: between Spring Boot's graceful web shutdown and the web
	 * server, and after a separate management server (whose phase is
	 * {@code Integer.MAX_VALUE - 1536}).
	 */
	public static final int PHASE = Integer.MAX_VALUE - 1280;

	private static final Log logger = LogFactory.getLog(ProcessorRegistry.class);

	private final Map<String, ManagedProcessor> processors = new LinkedHashMap<>();

	private volatile boolean running;

	/**
	 * Creates a registry for the given processors.
	 * @param definitions the processors, with unique names
	 * @param listeners callbacks for every processor's {@code KafkaStreams} instances
	 */
	public ProcessorRegistry(Collection<ProcessorDefinition> definitions, List<ProcessorListener> listeners) {
		this(definitions, listeners, List.of());
	}

	/**
	 * Creates a registry for the given processors.
	 * @param definitions the processors, with unique names
	 * @param listeners callbacks for every processor's {@code KafkaStreams} instances
	 * @param restoreListeners the application's own restore listeners, told about every
	 * processor's state restoration (Kafka Streams allows one per instance, which
	 * Tributary uses to follow restoration progress)
	 */
	public ProcessorRegistry(Collection<ProcessorDefinition> definitions, List<ProcessorListener> listeners,
			List<StateRestoreListener> restoreListeners) {
		for (ProcessorDefinition definition : definitions) {
			ManagedProcessor previous = this.processors.put(definition.name(),
					new ManagedProcessor(definition, listeners, restoreListeners));
			if (previous != null) {
				throw new IllegalArgumentException("Duplicate processor name '" + definition.name() + "'");
			}
		}
	}

	/**
	 * All processors, in the order they were defined.
	 * @return the processors
	 */
	public List<ManagedProcessor> processors() {
		return List.copyOf(this.processors.values());
	}

	/**
	 * The names of all processors.
	 * @return the names, in the order the processors were defined
	 */
	public List<String> names() {
		return List.copyOf(this.processors.keySet());
	}

	/**
	 * Finds a processor by name.
	 * @param name the processor name
	 * @return the processor, or empty if there is none of that name
	 */
	public Optional<ManagedProcessor> find(String name) {
		return Optional.ofNullable(this.processors.get(name));
	}

	/**
	 * Returns a processor by name.
	 * @param name the processor name
	 * @return the processor
	 * @throws NoSuchProcessorException if there is none of that name; its message lists
	 * the processors that exist
	 */
	public ManagedProcessor get(String name) {
		ManagedProcessor processor = this.processors.get(name);
		if (processor == null) {
			throw new NoSuchProcessorException(name, names());
		}
		return processor;
	}

	/**
	 * Starts a processor; see {@link ManagedProcessor#start()}.
	 * @param name the processor name
	 */
	public void start(String name) {
		get(name).start();
	}

	/**
	 * Stops a processor; see {@link ManagedProcessor#stop()}.
	 * @param name the processor name
	 */
	public void stop(String name) {
		get(name).stop();
	}

	@Override
	public void start() {
		try {
			for (ManagedProcessor processor : this.processors.values()) {
				if (processor.definition().autoStartup()) {
					processor.startInBackground();
				}
			}
		}
		catch (RuntimeException ex) {
			// Spring stops only lifecycle beans that report running: close the processors
			// started before the failure here, or their threads keep the JVM alive.
			stop();
			throw ex;
		}
		this.running = true;
	}

	@Override
	public void stop() {
		// Close in parallel: each close can take up to its timeout.
		List<CompletableFuture<Void>> closing = new ArrayList<>();
		for (ManagedProcessor processor : this.processors.values()) {
			closing.add(CompletableFuture.runAsync(processor::stop, (task) -> {
				Thread thread = new Thread(task, "tributary-stop-" + processor.name());
				thread.start();
			}).exceptionally((ex) -> {
				logger.error("Failed to stop processor '" + processor.name() + "'", ex);
				return null;
			}));
		}
		CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
		this.running = false;
	}

	/**
	 * Closes any processor still open when the context is destroyed, such as one started
	 * through the {@code streams} endpoint after the lifecycle stopped.
	 */
	@Override
	public void destroy() {
		if (this.processors.values().stream().anyMatch((processor) -> processor.kafkaStreams().isPresent())) {
			stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
