package dev.tributary.devbroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * Deletes a processor's local state that belongs to an earlier dev broker, before the
 * processor first starts. When the dev broker starts with new data (a temporary
 * directory, or its data directory was deleted) while the state directory kept the
 * stores and checkpoints of an earlier run, those checkpoints point past the end of
 * changelog topics that have just been created empty: Kafka Streams would log
 * {@code OffsetOutOfRangeException}s and a {@code TaskCorruptedException} with its stack
 * trace, then wipe the state itself. Tributary says so in one line and wipes it first.
 */
public class StaleLocalState implements ProcessorListener {

	private static final Log logger = LogFactory.getLog(StaleLocalState.class);

	/** Kafka Streams' task directories: {@code <subtopology>_<partition>}. */
	private static final Pattern TASK_DIRECTORY = Pattern.compile("\\d+_\\d+");

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
		if (!this.checked.add(processor.name()) || !this.broker.startedWithNewData()) {
			return;
		}
		Path applicationState = stateDirectory(processor);
		if (hasTasks(applicationState)) {
			logger.warn("Processor '" + processor.name() + "': the dev broker started with new, empty data (in "
					+ this.broker.dataDir() + "), so the local state in " + applicationState.toAbsolutePath()
					+ " belongs to a Kafka cluster that no longer exists; deleting it so the processor starts afresh. "
					+ "Keep the broker's data with the state: leave tributary.dev-broker.data-dir unset (it is then "
					+ "kept inside the state directory) or point it at a persistent directory");
			streams.cleanUp();
		}
	}

	private static Path stateDirectory(ManagedProcessor processor) {
		StreamsConfig config = ClientSettings.quietConfig(ClientSettings.of(processor.streamsProperties()));
		return Path.of(config.getString(StreamsConfig.STATE_DIR_CONFIG)).resolve(processor.applicationId());
	}

	private static boolean hasTasks(Path applicationState) {
		if (!Files.isDirectory(applicationState)) {
			return false;
		}
		try (Stream<Path> entries = Files.list(applicationState)) {
			return entries.anyMatch((entry) -> Files.isDirectory(entry)
					&& TASK_DIRECTORY.matcher(entry.getFileName().toString()).matches());
		}
		catch (IOException ex) {
			return false;
		}
	}

}
