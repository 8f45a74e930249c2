package dev.tributary.devbroker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.tributary.logging.LoggerLevels;
import dev.tributary.runtime.CreatedTopics;
import dev.tributary.runtime.ProcessorConfigurationException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.util.FileSystemUtils;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) running inside
 * the application, built from Kafka's own server code. For development and tests only:
 * one node, replication factor 1, plaintext on localhost.
 *
 * <p>If a broker already listens on the requested port, that broker is used and none is
 * started, so several applications on one machine can share the first one's broker.
 *
 * <p>{@link #prepare} fixes the address and the data directory without starting anything,
 * so that an application can validate its configuration with the broker's address
 * before it spends a second or two on starting the broker with {@link #start()}.
 */
public final class DevBroker implements AutoCloseable {

	/**
	 * The Kafka server class whose presence enables the dev broker.
	 */
	public static final String KAFKA_SERVER_CLASS = "kafka.server.KafkaRaftServer";

	private static final Log logger = LogFactory.getLog(DevBroker.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final String NETWORK_CLIENT_LOGGER = "org.apache.kafka.clients.NetworkClient";

	private final String bootstrapServers;

	private final int port;

	private final int partitions;

	// null when a broker already listened on the port: nothing to start.
	private final @Nullable Path dataDir;

	private final boolean temporaryDataDir;

	private @Nullable KafkaRaftServer server;

	private boolean started;

	private boolean newData;

	private @Nullable String clusterId;

	private DevBroker(int port, int partitions, @Nullable Path dataDir, boolean temporaryDataDir) {
		this.bootstrapServers = "localhost:" + port;
		this.port = port;
		this.partitions = partitions;
		this.dataDir = dataDir;
		this.temporaryDataDir = temporaryDataDir;
	}

	/**
	 * Starts a broker, or connects to the one already listening on the port.
	 * @param port the port to listen on; 0 picks a free one
	 * @param dataDir where the broker keeps its data across restarts; {@code null} for a
	 * temporary directory deleted on {@link #close()}
	 * @param partitions the partition count of topics the broker creates automatically
	 * @return the running broker
	 */
	public static DevBroker start(int port, @Nullable Path dataDir, int partitions) {
		DevBroker broker = prepare(port, dataDir, partitions);
		broker.start();
		return broker;
	}

	/**
	 * Fixes the broker's address and data directory without starting it: finds a free
	 * port for port 0, or notices a broker already listening on the port, which is then
	 * used instead. A data directory a running broker holds is not shared: a temporary
	 * one is used instead, with a warning.
	 * @param port the port to listen on; 0 picks a free one
	 * @param dataDir where the broker keeps its data across restarts; {@code null} for a
	 * temporary directory deleted on {@link #close()}
	 * @param partitions the partition count of topics the broker creates automatically
	 * @return the broker, not started
	 */
	public static DevBroker prepare(int port, @Nullable Path dataDir, int partitions) {
		if (port < 0 || port > 65535) {
			throw new ProcessorConfigurationException("tributary.dev-broker.port",
					"tributary.dev-broker.port must be between 0 and 65535 (0 picks a free port), not " + port);
		}
		if (partitions < 1) {
			throw new ProcessorConfigurationException("tributary.dev-broker.partitions",
					"tributary.dev-broker.partitions must be at least 1, not " + partitions);
		}
		if (port != 0 && isListening(port)) {
			logger.info("A Kafka broker already listens on localhost:" + port + "; using it instead of starting one");
			return new DevBroker(port, partitions, null, false);
		}
		int brokerPort = (port != 0) ? port : freePort();
		if (dataDir != null && isLockedByARunningBroker(dataDir)) {
			logger.warn("The dev broker's data directory " + dataDir.toAbsolutePath() + " is in use by another "
					+ "running broker; using a temporary one, deleted on shutdown (set tributary.dev-broker.data-dir "
					+ "to a directory of this application's own, or let it use the running broker's port)");
			return new DevBroker(brokerPort, partitions, createTemporaryDirectory(), true);
		}
		return (dataDir != null) ? new DevBroker(brokerPort, partitions, dataDir, false)
				: new DevBroker(brokerPort, partitions, createTemporaryDirectory(), true);
	}

	/**
	 * Starts the broker prepared here, unless a broker already listened on the port or
	 * it has started already; returns once the broker answers.
	 */
	public synchronized void start() {
		if (this.started || this.dataDir == null) {
			this.started = true;
			return;
		}
		Path dir = this.dataDir;
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new ProcessorConfigurationException("tributary.dev-broker.data-dir",
					"Cannot create the dev broker's data directory " + dir + ": " + ex.getMessage(), ex);
		}
		long began = System.nanoTime();
		KafkaConfig config = KafkaConfig.fromProps(brokerConfig(this.port, freePort(), dir, this.partitions));
		this.newData = format(config, dir);
		KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
		this.server = raftServer;
		raftServer.startup();
		awaitReady();
		this.started = true;
		logger.info("Started the Tributary dev broker on " + this.bootstrapServers + " in "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms (data in "
				+ (this.temporaryDataDir ? "a temporary directory, deleted on shutdown" : dir.toAbsolutePath()) + ")");
	}

	/**
	 * Whether {@link #start()} has been called (and returned).
	 * @return whether the broker runs, or a broker that already listened is used
	 */
	public synchronized boolean isStarted() {
		return this.started;
	}

	/**
	 * Whether this broker started with new, empty data: a temporary data directory, or
	 * one without the data of an earlier run. Local state that processors kept from an
	 * earlier run then belongs to a cluster that no longer exists.
	 * @return whether the broker runs in this process and its data is new
	 */
	public synchronized boolean startedWithNewData() {
		return this.server != null && this.newData;
	}

	/**
	 * The id of the cluster this broker formed, which a new data directory changes.
	 * @return the id, or {@code null} unless the broker runs in this process and has
	 * started
	 */
	public synchronized @Nullable String clusterId() {
		return (this.server != null) ? this.clusterId : null;
	}

	/**
	 * The directory the broker keeps its data in.
	 * @return the directory, or {@code null} when a broker that already listened is used
	 */
	public @Nullable Path dataDir() {
		return this.dataDir;
	}

	private static Properties brokerConfig(int brokerPort, int controllerPort, Path dataDir, int partitions) {
		Properties config = new Properties();
		config.putAll(Map.ofEntries(Map.entry("process.roles", "broker,controller"), Map.entry("node.id", "1"),
				Map.entry("controller.quorum.voters", "1@localhost:" + controllerPort),
				Map.entry("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort),
				Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort),
				Map.entry("controller.listener.names", "CONTROLLER"),
				Map.entry("inter.broker.listener.name", "PLAINTEXT"),
				Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
				Map.entry("log.dirs", dataDir.toAbsolutePath().toString()),
				Map.entry("num.partitions", String.valueOf(partitions)),
				Map.entry("auto.create.topics.enable", "true"),
				Map.entry("offsets.topic.replication.factor", "1"),
				// Fewer internal partitions: much faster start on a small machine.
				Map.entry("offsets.topic.num.partitions", "5"),
				Map.entry("transaction.state.log.replication.factor", "1"),
				Map.entry("transaction.state.log.min.isr", "1"),
				Map.entry("transaction.state.log.num.partitions", "5"),
				Map.entry("share.coordinator.state.topic.replication.factor", "1"),
				Map.entry("share.coordinator.state.topic.min.isr", "1"),
				Map.entry("group.initial.rebalance.delay.ms", "0")));
		return config;
	}

	/**
	 * Formats a data directory that a broker has not used yet.
	 * @return whether it was formatted, that is the broker's data is new
	 */
	private static boolean format(KafkaConfig config, Path dataDir) {
		if (Files.exists(dataDir.resolve("meta.properties"))) {
			return false; // formatted by an earlier run: keep its cluster id and data
		}
		try {
			new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
				.setNodeId(config.nodeId())
				.setClusterId(Uuid.randomUuid().toString())
				.setControllerListenerName("CONTROLLER")
				.setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
				.addDirectory(dataDir.toAbsolutePath().toString())
				.setHasDynamicQuorum(false)
				.run();
			return true;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot format the dev broker's data directory " + dataDir
					+ "; delete it or set tributary.dev-broker.data-dir to an empty directory", ex);
		}
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		try (Admin admin = admin()) {
			while (true) {
				try {
					admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
					this.clusterId = admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
					return;
				}
				catch (Exception ex) {
					if (System.nanoTime() > deadline) {
						close();
						throw new IllegalStateException("The dev broker did not become ready within " + STARTUP_TIMEOUT,
								ex);
					}
				}
			}
		}
	}

	/**
	 * The address clients connect to.
	 * @return {@code localhost:<port>}
	 */
	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * Whether this instance started the broker, rather than using one that was already
	 * listening on the port.
	 * @return whether the broker runs in this process
	 */
	public boolean isEmbedded() {
		return this.dataDir != null;
	}

	/**
	 * Creates the topics that do not exist yet, with the configured partition count.
	 * @param topics the topic names
	 */
	public void createTopics(Collection<String> topics) {
		createTopics(topics, this.partitions);
	}

	/**
	 * Creates the topics that do not exist yet, with the given partition count, and
	 * waits until the broker serves them.
	 * @param topics the topic names
	 * @param partitions the partition count
	 */
	public void createTopics(Collection<String> topics, int partitions) {
		if (topics.isEmpty()) {
			return;
		}
		try (Admin admin = admin()) {
			Set<String> missing = new HashSet<>(topics);
			missing.removeAll(admin.listTopics().names().get(30, TimeUnit.SECONDS));
			List<NewTopic> newTopics = missing.stream()
				.map((name) -> new NewTopic(name, partitions, (short) 1))
				.toList();
			try {
				admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw ex;
				}
			}
			Map<String, Integer> created = new HashMap<>();
			missing.forEach((topic) -> created.put(topic, partitions));
			CreatedTopics.awaitServed(admin, created, STARTUP_TIMEOUT);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot create topics " + topics + " on the dev broker", ex);
		}
	}

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				30000));
	}

	/**
	 * Stops the broker if this instance started it, and deletes a temporary data
	 * directory.
	 */
	@Override
	public synchronized void close() {
		KafkaRaftServer raftServer = this.server;
		if (raftServer != null) {
			// Kafka's broker shuts its channel to the controller down twice, and the second
			// time its network client warns that it is closed already. The application's
			// own clients are closed by now.
			new LoggerLevels(LoggingSystem.get(DevBroker.class.getClassLoader())).runAt(NETWORK_CLIENT_LOGGER,
					LogLevel.ERROR, () -> {
						raftServer.shutdown();
						raftServer.awaitShutdown();
					});
			this.server = null;
			logger.info("Stopped the Tributary dev broker on " + this.bootstrapServers);
		}
		if (this.temporaryDataDir && this.dataDir != null) {
			try {
				FileSystemUtils.deleteRecursively(this.dataDir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/**
	 * Whether a running broker holds the directory: Kafka locks {@code .lock} in each of
	 * its log directories while it runs.
	 */
	private static boolean isLockedByARunningBroker(Path dataDir) {
		Path lock = dataDir.resolve(".lock");
		if (!Files.exists(lock)) {
			return false;
		}
		try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
			FileLock acquired = channel.tryLock();
			if (acquired == null) {
				return true;
			}
			acquired.release();
			return false;
		}
		catch (OverlappingFileLockException ex) {
			return true; // held by a broker in this JVM
		}
		catch (IOException ex) {
			return false; // let the broker itself report what is wrong with the directory
		}
	}

	private static Path createTemporaryDirectory() {
		try {
			return Files.createTempDirectory("tributary-dev-broker-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary directory for the dev broker", ex);
		}
	}

	static boolean isListening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("localhost", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
