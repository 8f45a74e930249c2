package dev.tributary.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.jspecify.annotations.Nullable;

/**
 * One {@code @StreamProcessor} at run time: owns the processor's current
 * {@code KafkaStreams} instance and starts and stops it.
 *
 * <p>A stopped processor is started with a new {@code KafkaStreams} built from a fresh
 * topology; its local state and committed offsets carry over, so it resumes where it
 * left off. Start, stop, restart, pause and resume are safe to call from any thread.
 * The accessors read state kept in memory and never call Kafka.
 */
public final class ManagedProcessor {

	private static final Log logger = LogFactory.getLog(ManagedProcessor.class);

	private static final Set<State> HEALTHY_STATES = Set.of(State.CREATED, State.REBALANCING, State.RUNNING);

	private static final Set<String> DEAD_THREAD_STATES = Set.of("DEAD", "PENDING_SHUTDOWN");

	private final ProcessorDefinition definition;

	private final List<ProcessorListener> listeners;

	private final RestorationTracker restoration;

	private final GroupMembershipOperation membershipOnClose;

	private final Object lifecycleLock = new Object();

	// The thread inside KafkaStreams.start(), for stop() to interrupt (see startInterruptibly).
	private final Object startingLock = new Object();

	private @Nullable Thread starting;

	private volatile boolean stopRequested;

	private volatile @Nullable KafkaStreams streams;

	private volatile @Nullable TopologyDescription topology;

	// Computed once per start: queries look the stores up on every request.
	private volatile List<String> storeNames = List.of();

	private volatile List<String> globalStoreNames = List.of();

	private volatile Set<String> sourceTopics = Set.of();

	private volatile @Nullable Instant startedAt;

	private volatile boolean started;

	// What the processor last started with, listeners' additions (application.server) included.
	private volatile @Nullable Properties startedProperties;

	// An instance that did not close within the close timeout and may still hold the
	// state directory; no new instance starts until it has stopped.
	private @Nullable KafkaStreams stillClosing;

	private volatile @Nullable Throwable lastUncaughtException;

	private final ThreadReplacements replacements;

	// A part that runs beside the processor's KafkaStreams (an async step) failed for good.
	private volatile @Nullable Throwable companionFailure;

	ManagedProcessor(ProcessorDefinition definition, List<ProcessorListener> listeners,
			List<StateRestoreListener> restoreListeners) {
		this.definition = definition;
		this.listeners = List.copyOf(listeners);
		this.restoration = new RestorationTracker(definition.name(), restoreListeners);
		this.replacements = new ThreadReplacements(definition.crashLoopLimit(), System::nanoTime);
		boolean staticMembership = definition.streamsProperties()
			.stringPropertyNames()
			.stream()
			.anyMatch((key) -> key.endsWith(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
		this.membershipOnClose = staticMembership ? GroupMembershipOperation.REMAIN_IN_GROUP
				: GroupMembershipOperation.LEAVE_GROUP;
	}

	/**
	 * The processor's name.
	 * @return the name given in {@code @StreamProcessor}
	 */
	public String name() {
		return this.definition.name();
	}

	/**
	 * The processor's Kafka Streams application id.
	 * @return the application id
	 */
	public String applicationId() {
		return this.definition.applicationId();
	}

	/**
	 * The definition this processor runs.
	 * @return the definition
	 */
	public ProcessorDefinition definition() {
		return this.definition;
	}

	/**
	 * The Kafka Streams properties the processor last started with: its definition's,
	 * with what {@link ProcessorListener}s added (such as {@code application.server}).
	 * May hold secrets; show them only through {@link SensitiveKeys}.
	 * @return a copy of the properties; the definition's before the first start
	 */
	public Properties streamsProperties() {
		Properties started = this.startedProperties;
		return (started != null) ? (Properties) started.clone() : this.definition.streamsProperties();
	}

	/**
	 * The state of the current {@code KafkaStreams} instance.
	 * @return the state, or {@code NOT_RUNNING} when the processor is stopped
	 */
	public State state() {
		KafkaStreams current = this.streams;
		return (current != null) ? current.state() : State.NOT_RUNNING;
	}

	/**
	 * The current {@code KafkaStreams} instance, for interactive queries and metadata.
	 * @return the instance, empty when the processor is stopped
	 */
	public Optional<KafkaStreams> kafkaStreams() {
		return Optional.ofNullable(this.streams);
	}

	/**
	 * The description of the topology the processor runs (or last ran).
	 * @return the topology description, empty when the processor has never been started
	 */
	public Optional<TopologyDescription> topology() {
		return Optional.ofNullable(this.topology);
	}

	/**
	 * The names of the processor's state stores, from its topology (including global
	 * stores).
	 * @return the store names, sorted; empty when the processor has never been started
	 */
	public List<String> storeNames() {
		return this.storeNames;
	}

	/**
	 * The names of the processor's global stores, from its topology.
	 * @return the global store names, sorted; empty when the processor has never been
	 * started
	 */
	public List<String> globalStoreNames() {
		return this.globalStoreNames;
	}

	/**
	 * The topics the processor's topology reads, by the names its records carry:
	 * repartition topics with the application id that the topology's description leaves
	 * out.
	 * @return the topic names, sorted; empty when the processor has never been started
	 */
	public Set<String> sourceTopics() {
		return this.sourceTopics;
	}

	/**
	 * When the processor's current (or last) {@code KafkaStreams} instance was started.
	 * @return the time, empty when the processor has never been started
	 */
	public Optional<Instant> startedAt() {
		return Optional.ofNullable(this.startedAt);
	}

	/**
	 * Whether the processor has been asked to run: true from {@link #start()} until
	 * {@link #stop()}, whatever state its {@code KafkaStreams} is in.
	 * @return whether the processor should be running
	 */
	public boolean isStarted() {
		return this.started;
	}

	/**
	 * Whether the processor should be running but is not: its {@code KafkaStreams} is in
	 * {@code ERROR}, shutting down or not running although nobody stopped it, it was shut
	 * down as a crash loop, or it has no live stream thread left although its topology
	 * needs one. The one rule for "alive" that health and liveness use.
	 * @return whether the processor has failed
	 */
	public boolean isFailed() {
		if (!this.started) {
			return false;
		}
		if (this.companionFailure != null) {
			return true;
		}
		State state = state();
		return failed(state, this.replacements.crashLoop() != null, needsStreamThreads(),
				(state == State.REBALANCING || state == State.RUNNING) ? aliveThreadCount() : 0);
	}

	/**
	 * The rule behind {@link #isFailed()} for a processor that should be running. Kafka
	 * Streams leaves dead threads out of its thread metadata and stays {@code RUNNING}
	 * when every thread is gone, so the thread count alone, not the state, shows that
	 * nothing is processing.
	 */
	static boolean failed(State state, boolean crashLoop, boolean needsStreamThreads, long aliveThreads) {
		if (crashLoop || !HEALTHY_STATES.contains(state)) {
			return true;
		}
		return state != State.CREATED && needsStreamThreads && aliveThreads == 0;
	}

	/**
	 * A topology of global stores only runs no stream thread at all.
	 */
	private boolean needsStreamThreads() {
		TopologyDescription description = this.topology;
		return description != null && !description.subtopologies().isEmpty();
	}

	/**
	 * Whether the processor's stream threads are paused.
	 * @return whether {@link #pause()} is in force
	 */
	public boolean isPaused() {
		KafkaStreams current = this.streams;
		return current != null && current.isPaused();
	}

	/**
	 * Whether any active task of this instance is still restoring a state store from its
	 * changelog. Queries against a restoring store fail, so the processor is not ready.
	 * @return whether a restoration is in progress
	 */
	public boolean isRestoring() {
		return this.restoration.isRestoring();
	}

	/**
	 * Restoration progress of each store this instance has restored since it started.
	 * @return one entry per store
	 */
	public List<StoreRestoration> restorations() {
		return this.restoration.restorations();
	}

	/**
	 * The metadata of this instance's stream threads: their state and active and standby
	 * tasks.
	 * @return the threads, empty when the processor is stopped
	 */
	public Set<ThreadMetadata> threads() {
		KafkaStreams current = this.streams;
		return (current != null) ? current.metadataForLocalThreads() : Set.of();
	}

	/**
	 * The number of stream threads that are not dead or dying.
	 * @return the live thread count
	 */
	public long aliveThreadCount() {
		return threads().stream().filter((thread) -> !DEAD_THREAD_STATES.contains(thread.threadState())).count();
	}

	/**
	 * The number of stream threads replaced since the processor last started, under the
	 * {@code REPLACE_THREAD} policy.
	 * @return the replacements
	 */
	public long threadReplacements() {
		return this.replacements.total();
	}

	/**
	 * Why the processor was shut down as a crash loop: its stream threads died more often
	 * within the {@link CrashLoopLimit} window than they may be replaced.
	 * @return the reason, empty unless the processor was shut down for it since it last
	 * started
	 */
	public Optional<String> crashLoop() {
		return Optional.ofNullable(this.replacements.crashLoop());
	}

	/**
	 * The last exception that killed one of the processor's stream threads.
	 * @return the exception, empty if none occurred since the processor was created
	 */
	public Optional<Throwable> lastUncaughtException() {
		return Optional.ofNullable(this.lastUncaughtException);
	}

	/**
	 * Reports that a part running beside this processor's {@code KafkaStreams} (an async
	 * step's worker) has stopped for good: the processor counts as failed, and shows the
	 * error as its last one, until it is started again.
	 * @param failure the error that stopped it
	 */
	public void reportFailure(Throwable failure) {
		this.companionFailure = failure;
		this.lastUncaughtException = failure;
		logger.error("Processor '" + name() + "' failed: " + failure.getMessage());
	}

	/**
	 * Starts the processor with a new {@code KafkaStreams} instance. Does nothing if it
	 * is already running or starting; a failed processor is closed and started again.
	 * Returns once {@code KafkaStreams.start()} has, that is after the global stores are
	 * loaded.
	 * @throws ProcessorConfigurationException if the topology or configuration is invalid
	 */
	public void start() {
		KafkaStreams current = this.streams;
		if (this.started && current != null && HEALTHY_STATES.contains(current.state())) {
			// Already running or starting (maybe still loading global stores): nothing to wait for.
			return;
		}
		synchronized (this.lifecycleLock) {
			KafkaStreams created = create();
			if (created != null) {
				startInterruptibly(created);
			}
		}
	}

	/**
	 * Builds the processor's topology and {@code KafkaStreams} on the caller's thread, so
	 * an invalid one fails the caller, then starts it on a thread of its own: loading
	 * large global stores, which {@code KafkaStreams.start()} waits for, neither holds up
	 * the application's start-up (and its liveness) nor the other processors.
	 * @throws ProcessorConfigurationException if the topology or configuration is invalid
	 */
	void startInBackground() {
		KafkaStreams created;
		synchronized (this.lifecycleLock) {
			created = create();
		}
		if (created == null) {
			return;
		}
		Thread thread = new Thread(() -> {
			synchronized (this.lifecycleLock) {
				// A stop or restart may have replaced the instance since.
				if (this.streams != created || created.state() != State.CREATED) {
					return;
				}
				try {
					startInterruptibly(created);
				}
				catch (RuntimeException ex) {
					if (this.stopRequested) {
						logger.info("Processor '" + name() + "' was stopped while it was starting");
					}
					else {
						// The instance is left failed: health and liveness report it.
						logger.error("Processor '" + name() + "' failed to start", ex);
					}
				}
			}
		}, "tributary-start-" + name());
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Interrupts a {@code KafkaStreams.start()} under way on another thread (see
	 * {@link #startInterruptibly}), so that the caller does not wait for it on the lifecycle
	 * lock.
	 */
	private void interruptStarting() {
		synchronized (this.startingLock) {
			Thread starter = this.starting;
			if (starter != null && starter != Thread.currentThread()) {
				this.stopRequested = true;
				starter.interrupt();
			}
		}
	}

	private @Nullable KafkaStreams create() {
		KafkaStreams current = this.streams;
		if (this.started && current != null && HEALTHY_STATES.contains(current.state())) {
			return null;
		}
		closeCurrent();
		requireNothingStillClosing("start");
		Properties properties = this.definition.streamsProperties();
		this.listeners.forEach((listener) -> listener.configure(this, properties));
		this.startedProperties = (Properties) properties.clone();
		Topology newTopology = this.definition.topologyFactory().build(properties);
		KafkaStreams created = new KafkaStreams(newTopology, properties);
		created.setStateListener(this::onStateChange);
		created.setUncaughtExceptionHandler(this::onUncaughtException);
		created.setGlobalStateRestoreListener(this.restoration);
		this.restoration.reset();
		this.companionFailure = null;
		this.topology = newTopology.describe();
		this.storeNames = TopologyStores.names(this.topology);
		this.globalStoreNames = TopologyStores.globalNames(this.topology);
		this.sourceTopics = TopologyTopics.sourceTopics(this.topology, applicationId());
		this.startedAt = Instant.now();
		this.streams = created;
		this.listeners.forEach((listener) -> listener.streamsCreated(this, newTopology, created));
		this.started = true;
		logger.info("Starting processor '" + name() + "' (application id '" + applicationId() + "')");
		return created;
	}

	/**
	 * {@code KafkaStreams.start()} waits until the global stores are loaded, which for a
	 * large global table takes minutes, while this thread holds the lifecycle lock. A
	 * {@link #stop()} meanwhile interrupts the wait instead of queueing behind it.
	 */
	private void startInterruptibly(KafkaStreams created) {
		synchronized (this.startingLock) {
			this.starting = Thread.currentThread();
		}
		try {
			created.start();
		}
		catch (IllegalStateException ex) {
			if (this.stopRequested) {
				throw new IllegalStateException("Processor '" + name() + "' was stopped while it was starting", ex);
			}
			throw ex;
		}
		finally {
			synchronized (this.startingLock) {
				this.starting = null;
				if (this.stopRequested) {
					// The interrupt was for the start: do not leave it to the caller's thread.
					Thread.interrupted();
				}
			}
		}
	}

	/**
	 * Stops the processor, waiting up to its close timeout. Its instance leaves the
	 * consumer group so that other instances take over its partitions at once, unless
	 * the processor uses static membership ({@code group.instance.id}), where staying
	 * in the group across a quick restart is the point. Does nothing if it is not
	 * running.
	 */
	public void stop() {
		interruptStarting();
		synchronized (this.lifecycleLock) {
			this.stopRequested = false;
			this.started = false;
			if (this.streams != null) {
				logger.info("Stopping processor '" + name() + "'");
				closeCurrent();
			}
		}
	}

	/**
	 * Stops the processor and starts it again with a new {@code KafkaStreams}.
	 * @param cleanUpLocalState whether to delete the processor's local state directory in
	 * between, so its stores are restored from their changelogs
	 */
	public void restart(boolean cleanUpLocalState) {
		// A restart stops first: it must not queue behind a start that is loading global stores.
		interruptStarting();
		synchronized (this.lifecycleLock) {
			this.stopRequested = false;
			boolean wasStarted = this.started;
			this.started = false;
			try {
				KafkaStreams closed = closeCurrent();
				// Before the clean-up: it would delete task directories under the open
				// RocksDB of an instance that is still closing.
				requireNothingStillClosing(cleanUpLocalState ? "clean up and restart" : "restart");
				if (cleanUpLocalState) {
					cleanUp(closed);
				}
				start();
			}
			catch (RuntimeException ex) {
				// A processor that should run and could not be restarted reports itself
				// failed, not stopped on purpose.
				this.started = wasStarted || this.started;
				throw ex;
			}
		}
	}

	private void cleanUp(@Nullable KafkaStreams closed) {
		KafkaStreams cleaner = closed;
		if (cleaner == null) {
			// Never started, or stopped: an unstarted instance can clean up too.
			cleaner = new KafkaStreams(this.definition.topologyFactory().build(this.definition.streamsProperties()),
					this.definition.streamsProperties());
		}
		logger.info("Processor '" + name() + "': deleting local state before restarting");
		try {
			cleaner.cleanUp();
		}
		finally {
			if (cleaner != closed) {
				cleaner.close();
			}
		}
	}

	/**
	 * Pauses processing: the stream threads stop processing records but stay in the
	 * consumer group, and standby tasks keep updating. Interactive queries keep working.
	 * @throws IllegalStateException if the processor is not running
	 */
	public void pause() {
		synchronized (this.lifecycleLock) {
			requireStreams("pause").pause();
		}
		logger.info("Paused processor '" + name() + "'");
	}

	/**
	 * Resumes a paused processor.
	 * @throws IllegalStateException if the processor is not running
	 */
	public void resume() {
		synchronized (this.lifecycleLock) {
			requireStreams("resume").resume();
		}
		logger.info("Resumed processor '" + name() + "'");
	}

	private KafkaStreams requireStreams(String action) {
		KafkaStreams current = this.streams;
		if (current == null || !this.started) {
			throw new IllegalStateException("Cannot " + action + " processor '" + name() + "': it is not started");
		}
		return current;
	}

	private @Nullable KafkaStreams closeCurrent() {
		KafkaStreams current = this.streams;
		if (current == null) {
			return null;
		}
		// Kafka Streams does not look at a close while it loads a global store: make the
		// global thread give up the load, or it runs on to the end of a large table.
		this.restoration.abandon(this.globalStoreNames);
		Duration timeout = this.definition.closeTimeout();
		if (!current.close(CloseOptions.timeout(timeout).withGroupMembershipOperation(this.membershipOnClose))) {
			logger.warn("Processor '" + name() + "' did not close within " + timeout + " (tributary.processors."
					+ name() + ".close-timeout); its remaining threads finish in the background");
			this.stillClosing = current;
		}
		this.streams = null;
		this.listeners.forEach((listener) -> listener.streamsClosed(this, current));
		return current;
	}

	private void requireNothingStillClosing(String action) {
		KafkaStreams closing = this.stillClosing;
		if (closing != null && closing.state() != State.NOT_RUNNING && closing.state() != State.ERROR) {
			throw new IllegalStateException("Cannot " + action + " processor '" + name() + "': its previous instance "
					+ "did not close within the close timeout and is still shutting down (" + closing.state()
					+ "); " + action + " it again once that instance has stopped");
		}
		this.stillClosing = null;
	}

	private void onStateChange(State newState, State oldState) {
		if (oldState == State.CREATED) {
			// A new instance starting: earlier replacements no longer count against it.
			this.replacements.reset();
		}
		if (newState == State.ERROR) {
			logger.error("Processor '" + name() + "' failed: " + oldState + " -> " + newState);
		}
		else {
			logger.info("Processor '" + name() + "': " + oldState + " -> " + newState);
		}
		this.listeners.forEach((listener) -> listener.stateChanged(this, newState, oldState));
	}

	private StreamThreadExceptionResponse onUncaughtException(Throwable exception) {
		this.lastUncaughtException = exception;
		// A new thread would re-read the record and fail again: stop instead of looping.
		UncaughtExceptionPolicy policy = (UnrecoverableProcessorException.isCauseOf(exception)
				|| this.listeners.stream().anyMatch((listener) -> listener.isUnrecoverable(this, exception)))
						? UncaughtExceptionPolicy.SHUTDOWN_CLIENT : this.definition.uncaughtExceptionPolicy();
		logger.error("Processor '" + name() + "': a stream thread died of an uncaught exception; policy "
				+ policy + " applies (tributary.processors." + name() + ".uncaught-exception-policy)", exception);
		this.listeners.forEach((listener) -> listener.uncaughtException(this, exception));
		if (policy != UncaughtExceptionPolicy.REPLACE_THREAD || isGlobalStreamThread()) {
			// Kafka Streams cannot replace the global thread: it shuts the client down.
			return policy.response();
		}
		if (!this.replacements.tryReplace()) {
			CrashLoopLimit limit = this.definition.crashLoopLimit();
			logger.error("Processor '" + name() + "' is in a crash loop: " + this.replacements.crashLoop()
					+ "; shutting it down instead of replacing the thread again (tributary.processors." + name()
					+ ".crash-loop.max-replacements=" + limit.maxReplacements() + ", window=" + limit.window()
					+ "). Fix the cause, then start it again");
			return UncaughtExceptionPolicy.SHUTDOWN_CLIENT.response();
		}
		this.listeners.forEach((listener) -> listener.threadReplaced(this, exception));
		return policy.response();
	}

	private static boolean isGlobalStreamThread() {
		return Thread.currentThread().getName().endsWith("-GlobalStreamThread");
	}

	@Override
	public String toString() {
		return "ManagedProcessor[" + name() + ", " + state() + "]";
	}

}
