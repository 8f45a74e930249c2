package dev.tributary.devbroker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.tributary.runtime.ClientSettings;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Deletes a processor's local state that belongs to an earlier dev broker, before the
 * processor first starts. When the dev broker starts with new data (a temporary
 * directory, or its data directory was deleted) while the state directory kept the
 * stores and checkpoints of an earlier run, those checkpoints point past the end of
 * changelog topics that have just been created empty: Kafka Streams would log
 * {@code OffsetOutOfRangeException}s and a {@code TaskCorruptedException} with its stack
 * trace, then wipe the state itself. Tributary says so in one line and wipes it first.
 *
 * <p>Only processors connected to the dev broker are looked at, and their state is
 * deleted only when it is known to come from another cluster: each start records the dev
 * broker's cluster id in the processor's state directory ({@value #MARKER}), and state
 * recorded under another id is stale. State without a record (kept from before Tributary
 * recorded one) counts as stale only when the broker's data is new.
 */
public class StaleLocalState implements ProcessorListener {

	/** The file, in a processor's state directory, naming the cluster its state is of. */
	public static final String MARKER = "tributary-cluster-id";

	private static final Log logger = LogFactory.getLog(StaleLocalState.class);

	/** Kafka Streams' task directories: {@code <subtopology>_<partition>}, and global stores'. */
	private static final Pattern STATE_DIRECTORY = Pattern.compile("\\d+_\\d+|global");

	private final DevBroker broker;

	// Only the first start after the broker's: later ones find state of this broker.
	private final Set<String> checked = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the check for the given broker.
	 * @param broker the dev broker
	 */
	public StaleLocalState(DevBroker broker) {
		this.broker = broker;
	}

	@Override
	public void streamsCreated(ManagedProcessor processor, Topology topology, KafkaStreams streams) {
		String clusterId = this.broker.clusterId();
		if (clusterId == null || !this.checked.add(processor.name())) {
			return;
		}
		Path applicationState = stateDirectory(processor);
		Path marker = applicationState.resolve(MARKER);
		if (!connectsToTheDevBroker(processor)) {
			// Its state is of another cluster now: a record of the dev broker's would vouch
			// for it when the processor comes back to the dev broker.
			delete(marker);
			return;
		}
		String recorded = read(marker);
		boolean stale = (recorded != null) ? !recorded.equals(clusterId) : this.broker.startedWithNewData();
		if (stale && hasState(applicationState)) {
			logger.warn("Processor '" + processor.name() + "': the local state in " + applicationState.toAbsolutePath()
					+ " belongs to another Kafka cluster than the dev broker's (data in " + this.broker.dataDir()
					+ "); deleting it so the processor starts afresh. Keep the broker's data with the state: leave "
					+ "tributary.dev-broker.data-dir unset (it is then kept inside the state directory) or point it "
					+ "at a persistent directory");
			streams.cleanUp();
		}
		write(marker, clusterId);
	}

	private boolean connectsToTheDevBroker(ManagedProcessor processor) {
		Object servers = processor.streamsProperties().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
		// A list (as Spring Boot's spring.kafka.bootstrap-servers binds) or comma-separated text.
		Stream<?> addresses = (servers instanceof Collection<?> list) ? list.stream()
				: (servers != null) ? Arrays.stream(String.valueOf(servers).split(",")) : Stream.empty();
		return addresses.map((address) -> String.valueOf(address).trim())
			.anyMatch(this.broker.bootstrapServers()::equals);
	}

	private static Path stateDirectory(ManagedProcessor processor) {
		StreamsConfig config = ClientSettings.quietConfig(ClientSettings.of(processor.streamsProperties()));
		return Path.of(config.getString(StreamsConfig.STATE_DIR_CONFIG)).resolve(processor.applicationId());
	}

	private static boolean hasState(Path applicationState) {
		if (!Files.isDirectory(applicationState)) {
			return false;
		}
		try (Stream<Path> entries = Files.list(applicationState)) {
			return entries.anyMatch((entry) -> Files.isDirectory(entry)
					&& STATE_DIRECTORY.matcher(entry.getFileName().toString()).matches());
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static @Nullable String read(Path marker) {
		try {
			return Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8).trim() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void delete(Path marker) {
		try {
			Files.deleteIfExists(marker);
		}
		catch (IOException ex) {
			logger.debug("Cannot delete " + marker + ": " + ex.getMessage());
		}
	}

	private static void write(Path marker, String clusterId) {
		try {
			Files.createDirectories(marker.getParent());
			Files.writeString(marker, clusterId, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			logger.debug("Cannot record the cluster id in " + marker + ": " + ex.getMessage());
		}
	}

}
