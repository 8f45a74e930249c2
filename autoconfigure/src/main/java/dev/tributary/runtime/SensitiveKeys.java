package dev.tributary.runtime;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Which Kafka Streams properties hold secrets, so that no log line, exception message or
 * endpoint shows their values. A key is sensitive when Kafka declares it a password
 * ({@code ConfigDef.Type.PASSWORD}: {@code sasl.jaas.config}, {@code ssl.*.password},
 * {@code ssl.keystore.key} ...), with or without a client prefix such as
 * {@code consumer.}, or when its name says so ({@code password}, {@code secret},
 * {@code jaas}, {@code token}, {@code credentials}, {@code user.info} ...), which covers
 * the keys of serializers and login modules Kafka does not know.
 */
public final class SensitiveKeys {

	/** What is shown instead of a secret value. */
	public static final String HIDDEN = "[hidden]";

	private static final Set<String> KAFKA_PASSWORDS = kafkaPasswords();

	private static final List<String> WORDS = List.of("password", "passphrase", "secret", "jaas", "token",
			"credential", "user.info", "private.key", "api.key", "apikey", "sslbundle");

	// Kafka's ConfigException text: "Invalid value <value> for configuration <key>[: reason]".
	private static final Pattern INVALID_VALUE = Pattern.compile("Invalid value (.*?) for configuration (\\S+?)(:|$)",
			Pattern.DOTALL);

	private SensitiveKeys() {
	}

	/**
	 * Whether a property's value is a secret.
	 * @param key the property name, possibly with a client prefix
	 * @return whether its value must never be shown
	 */
	public static boolean isSensitive(String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		for (String password : KAFKA_PASSWORDS) {
			if (lower.equals(password) || lower.endsWith("." + password)) {
				return true;
			}
		}
		if (lower.contains("sasl.") && lower.endsWith(".config")) {
			return true;
		}
		return WORDS.stream().anyMatch(lower::contains);
	}

	/**
	 * A copy of the properties, sorted by key, with the values of sensitive keys
	 * replaced by {@value #HIDDEN}.
	 * @param properties the properties
	 * @return the properties as they may be shown
	 */
	public static Map<String, Object> masked(Map<?, ?> properties) {
		Map<String, Object> masked = new TreeMap<>();
		properties.forEach((key, value) -> masked.put(String.valueOf(key),
				isSensitive(String.valueOf(key)) ? HIDDEN : value));
		return masked;
	}

	/**
	 * Removes secret values from a message, for example one of Kafka's
	 * {@code ConfigException}s, which echo the value they reject.
	 * @param message the message
	 * @param properties the properties the message may quote
	 * @return the message without the values of sensitive keys
	 */
	public static String redact(String message, Map<?, ?> properties) {
		String redacted = message;
		Matcher matcher = INVALID_VALUE.matcher(redacted);
		if (matcher.find() && isSensitive(matcher.group(2))) {
			redacted = redacted.substring(0, matcher.start(1)) + HIDDEN + redacted.substring(matcher.end(1));
		}
		Map<String, Object> secrets = new LinkedHashMap<>();
		properties.forEach((key, value) -> {
			if (value != null && isSensitive(String.valueOf(key))) {
				secrets.put(String.valueOf(key), value);
			}
		});
		for (Object secret : secrets.values()) {
			String text = String.valueOf(secret);
			// Short values ('1', 'true') would blank out unrelated words; they are no secret.
			if (text.length() >= 4) {
				redacted = redacted.replace(text, HIDDEN);
			}
		}
		return redacted;
	}

	private static Set<String> kafkaPasswords() {
		Set<String> passwords = new HashSet<>();
		for (ConfigDef definition : List.of(StreamsConfig.configDef(), ConsumerConfig.configDef(),
				ProducerConfig.configDef(), AdminClientConfig.configDef())) {
			definition.configKeys().values().forEach((key) -> {
				if (key.type == ConfigDef.Type.PASSWORD) {
					passwords.add(key.name);
				}
			});
		}
		return Set.copyOf(passwords);
	}

}
