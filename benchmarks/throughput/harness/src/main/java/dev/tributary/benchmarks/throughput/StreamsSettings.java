package dev.tributary.benchmarks.throughput;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.streams.StreamsConfig;

/**
 * The one set of Kafka Streams properties both variants run with. Anything not set here
 * is Kafka Streams' default for both (record cache, buffering, client settings).
 */
public final class StreamsSettings {

	/**
	 * Stream threads per application.
	 */
	public static final int THREADS = 1;

	/**
	 * Commit interval for both guarantees. Exactly-once commits every 100 ms by default;
	 * at-least-once (30 s by default) is set to the same so that completion, which is
	 * observed through committed offsets, is seen equally soon for every run.
	 */
	public static final int COMMIT_INTERVAL_MS = 100;

	private StreamsSettings() {
	}

	/**
	 * The properties for one run.
	 * @param bootstrapServers the broker
	 * @param applicationId a fresh application id
	 * @param guarantee the processing guarantee
	 * @param stateDir the state directory
	 * @return the properties
	 */
	public static Properties forRun(String bootstrapServers, String applicationId, Guarantee guarantee,
			Path stateDir) {
		Properties properties = new Properties();
		properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
		properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.config());
		properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(THREADS));
		properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(COMMIT_INTERVAL_MS));
		properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		return properties;
	}

	/**
	 * How two sets of properties differ once Kafka Streams has parsed them, ignoring
	 * {@code application.id}: every defined setting's value, and which other keys (passed
	 * on to the clients) are present.
	 * @param expected the properties the run was given
	 * @param actual the properties its {@code KafkaStreams} was created with
	 * @return one line per difference; empty if they are the same
	 */
	public static Set<String> differences(Properties expected, Properties actual) {
		Map<String, Object> left = parsed(expected);
		Map<String, Object> right = parsed(actual);
		Set<String> differences = new TreeSet<>();
		Set<String> keys = new TreeSet<>(left.keySet());
		keys.addAll(right.keySet());
		for (String key : keys) {
			Object a = left.get(key);
			Object b = right.get(key);
			if (!key.equals(StreamsConfig.APPLICATION_ID_CONFIG) && !Objects.equals(String.valueOf(a), String.valueOf(b))) {
				differences.add(key + ": " + a + " vs " + b);
			}
		}
		return differences;
	}

	private static Map<String, Object> parsed(Properties properties) {
		StreamsConfig config = new StreamsConfig(properties);
		Map<String, Object> parsed = new TreeMap<>(config.values());
		config.originals().forEach((key, value) -> parsed.putIfAbsent(key, value));
		return parsed;
	}

}
