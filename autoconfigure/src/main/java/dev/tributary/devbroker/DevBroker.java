package dev.tributary.devbroker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
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

import org.springframework.util.FileSystemUtils;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) running inside
 * the application, built from Kafka's own server code. For development and tests only:
 * one node, replication factor 1, plaintext on localhost.
 *
 * <p>If a broker already listens on the requested port, that broker is used and none is
 * started, so several applications on one machine can share the first one's broker.
 */
public final class DevBroker implements AutoCloseable {

	/**
	 * The Kafka server class whose presence enables the dev broker.
	 */
	public static final String KAFKA_SERVER_CLASS = "kafka.server.KafkaRaftServer";

	private static final Log logger = LogFactory.getLog(DevBroker.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private final String bootstrapServers;

	private final int partitions;

	private final @Nullable KafkaRaftServer server;

	private final @Nullable Path temporaryDataDir;

	private DevBroker(String bootstrapServers, int partitions, @Nullable KafkaRaftServer server,
			@Nullable Path temporaryDataDir) {
		this.bootstrapServers = bootstrapServers;
		this.partitions = partitions;
		this.server = server;
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
			return new DevBroker("localhost:" + port, partitions, null, null);
		}
		int brokerPort = (port != 0) ? port : freePort();
		int controllerPort = freePort();
		Path temporary = null;
		Path dir = dataDir;
		try {
			if (dir == null) {
				temporary = Files.createTempDirectory("tributary-dev-broker-");
				dir = temporary;
			}
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new ProcessorConfigurationException("tributary.dev-broker.data-dir",
					"Cannot create the dev broker's data directory " + dir + ": " + ex.getMessage(), ex);
		}
		long began = System.nanoTime();
		KafkaConfig config = KafkaConfig.fromProps(brokerConfig(brokerPort, controllerPort, dir, partitions));
		format(config, dir);
		KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
		server.startup();
		DevBroker broker = new DevBroker("localhost:" + brokerPort, partitions, server, temporary);
		broker.awaitReady();
		logger.info("Started the Tributary dev broker on localhost:" + brokerPort + " in "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms (data in " + dir + ")");
		return broker;
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

	private static void format(KafkaConfig config, Path dataDir) {
		if (Files.exists(dataDir.resolve("meta.properties"))) {
			return; // formatted by an earlier run: keep its cluster id and data
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
		return this.server != null;
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
	public void close() {
		if (this.server != null) {
			this.server.shutdown();
			this.server.awaitShutdown();
			logger.info("Stopped the Tributary dev broker on " + this.bootstrapServers);
		}
		if (this.temporaryDataDir != null) {
			try {
				FileSystemUtils.deleteRecursively(this.temporaryDataDir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private static boolean isListening(int port) {
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
