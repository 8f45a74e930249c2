package dev.tributary.autoconfigure;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;

/**
 * The names Kafka Streams and its clients know, to spot a misspelt property
 * ({@code num.stream.thread}) that Kafka would otherwise ignore without a word, and to
 * suggest the name that was meant.
 */
final class KafkaPropertyNames {

	private static final List<String> CONSUMER_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
			StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
			StreamsConfig.GLOBAL_CONSUMER_PREFIX);

	// Passed through to topics, RocksDB or Kafka's own plug-ins, whose names Kafka does
	// not list.
	private static final List<String> OPEN_PREFIXES = List.of(StreamsConfig.TOPIC_PREFIX, "rocksdb.",
			"dsl.store.", "internal.", "dev.tributary.", "org.springframework.");

	private static final Set<String> UNPREFIXED = unprefixed();

	private KafkaPropertyNames() {
	}

	/**
	 * Whether Kafka Streams, its clients or Tributary reads a property.
	 * @param key the property name as given in the configuration
	 * @return whether the name is known
	 */
	static boolean isKnown(String key) {
		if (UNPREFIXED.contains(key) || OPEN_PREFIXES.stream().anyMatch(key::startsWith)) {
			return true;
		}
		for (String prefix : CONSUMER_PREFIXES) {
			if (key.startsWith(prefix)) {
				return ConsumerConfig.configNames().contains(key.substring(prefix.length()));
			}
		}
		if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
			return ProducerConfig.configNames().contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length()));
		}
		if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
			return AdminClientConfig.configNames()
				.contains(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()));
		}
		return false;
	}

	/**
	 * The known name closest to a misspelt one, keeping its client prefix.
	 * @param key the unknown property name
	 * @return the closest known name, or {@code null} when none is close enough to be
	 * what was meant
	 */
	static @Nullable String closest(String key) {
		String prefix = "";
		Set<String> candidates = UNPREFIXED;
		for (String consumerPrefix : CONSUMER_PREFIXES) {
			if (key.startsWith(consumerPrefix) && consumerPrefix.length() > prefix.length()) {
				prefix = consumerPrefix;
				candidates = ConsumerConfig.configNames();
			}
		}
		if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
			prefix = StreamsConfig.PRODUCER_PREFIX;
			candidates = ProducerConfig.configNames();
		}
		else if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
			prefix = StreamsConfig.ADMIN_CLIENT_PREFIX;
			candidates = AdminClientConfig.configNames();
		}
		String name = key.substring(prefix.length());
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			int distance = distance(name, candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		// A third of the name may be wrong: 'num.stream.thread', 'comit.interval.ms'.
		return (best != null && bestDistance <= Math.max(2, name.length() / 3)) ? prefix + best : null;
	}

	/**
	 * Levenshtein distance: insertions, deletions and substitutions.
	 */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private static Set<String> unprefixed() {
		Set<String> names = new TreeSet<>(StreamsConfig.configDef().names());
		names.addAll(ConsumerConfig.configNames());
		names.addAll(ProducerConfig.configNames());
		names.addAll(AdminClientConfig.configNames());
		return Collections.unmodifiableSet(names);
	}

}
