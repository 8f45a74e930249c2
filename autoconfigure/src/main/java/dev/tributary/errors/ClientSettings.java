package dev.tributary.errors;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka settings of a processor for the clients the error handlers create of their own
 * (the source-record reader, the dead-letter sender).
 */
final class ClientSettings {

	private ClientSettings() {
	}

	/**
	 * The processor's Kafka Streams properties without Tributary's own entries, which are
	 * objects for its handlers, not client settings.
	 */
	static Map<String, Object> of(Map<?, ?> streamsProperties) {
		Map<String, Object> settings = new HashMap<>();
		streamsProperties.forEach((key, value) -> {
			String name = String.valueOf(key);
			if (!name.startsWith("tributary.") && !name.startsWith("dev.tributary.")) {
				settings.put(name, value);
			}
		});
		return settings;
	}

	/** A config that does not log every setting again, as the processor's own already did. */
	static StreamsConfig quietConfig(Map<?, ?> settings) {
		return new QuietStreamsConfig(settings);
	}

	private static final class QuietStreamsConfig extends StreamsConfig {

		QuietStreamsConfig(Map<?, ?> properties) {
			super(properties, false);
		}

	}

}
