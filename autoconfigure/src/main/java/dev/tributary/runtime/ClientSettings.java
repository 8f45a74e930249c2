package dev.tributary.runtime;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka settings of a processor for the clients Tributary creates of its own beside
 * its Kafka Streams (the error handlers' source-record reader and dead-letter sender, the
 * query service's admin client).
 */
public final class ClientSettings {

	private ClientSettings() {
	}

	/**
	 * The processor's Kafka Streams properties without Tributary's own entries, which are
	 * objects for its handlers, not client settings.
	 * @param streamsProperties the processor's Kafka Streams properties
	 * @return the client settings
	 */
	public static Map<String, Object> of(Map<?, ?> streamsProperties) {
		Map<String, Object> settings = new HashMap<>();
		streamsProperties.forEach((key, value) -> {
			String name = String.valueOf(key);
			if (!name.startsWith("tributary.") && !name.startsWith("dev.tributary.")) {
				settings.put(name, value);
			}
		});
		return settings;
	}

	/**
	 * An admin client with the processor's settings, without Tributary's own entries.
	 * @param streamsProperties the processor's Kafka Streams properties
	 * @param clientId the admin client's id
	 * @return the admin client; the caller closes it
	 */
	public static Admin admin(Map<?, ?> streamsProperties, String clientId) {
		return Admin.create(quietConfig(of(streamsProperties)).getAdminConfigs(clientId));
	}

	/**
	 * A config that does not log every setting again, as the processor's own already did.
	 * @param settings the settings
	 * @return the config
	 */
	public static StreamsConfig quietConfig(Map<?, ?> settings) {
		return new QuietStreamsConfig(settings);
	}

	private static final class QuietStreamsConfig extends StreamsConfig {

		QuietStreamsConfig(Map<?, ?> properties) {
			super(properties, false);
		}

	}

}
