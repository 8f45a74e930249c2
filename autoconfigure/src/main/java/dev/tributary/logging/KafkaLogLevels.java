package dev.tributary.logging;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Quiets Kafka's loggers that the application has not configured, once Spring Boot has
 * initialized logging and before any Kafka client or the dev broker exists:
 *
 * <ul>
 * <li>always {@value #CONFIG_DUMPS} to {@code WARN}: every Kafka client logs its whole
 * configuration at {@code INFO} (about 100 lines, and a processor has half a dozen
 * clients), then the keys it did not use, which always include the objects Tributary
 * hands its exception handlers through the Kafka Streams configuration. The effective
 * settings of a processor are in {@code GET /actuator/streams/{name}};</li>
 * <li>with {@code tributary.dev-broker.enabled}, the in-process broker's loggers to
 * {@code ERROR} and the rest of {@code org.apache.kafka} (clients, Kafka Streams) to
 * {@code WARN}: Tributary logs each processor's state changes itself.</li>
 * </ul>
 * One {@code INFO} line says what was set and how to choose otherwise.
 */
public final class KafkaLogLevels implements ApplicationListener<ApplicationPreparedEvent>, Ordered {

	/** The logger of Kafka's configuration dumps and "supplied but are not used yet" lines. */
	static final String CONFIG_DUMPS = "org.apache.kafka.common.config.AbstractConfig";

	/** The in-process broker's loggers: its Scala and Java server code. */
	static final List<String> BROKER_LOGGERS = List.of("kafka", "state.change.logger", "org.apache.kafka.controller",
			"org.apache.kafka.coordinator", "org.apache.kafka.image", "org.apache.kafka.metadata",
			"org.apache.kafka.queue", "org.apache.kafka.raft", "org.apache.kafka.server", "org.apache.kafka.snapshot",
			"org.apache.kafka.storage");

	/** Kafka's clients and Kafka Streams, in development. */
	static final String KAFKA = "org.apache.kafka";

	private static final Log logger = LogFactory.getLog(KafkaLogLevels.class);

	@Override
	public void onApplicationEvent(ApplicationPreparedEvent event) {
		Object loggingSystem = event.getApplicationContext()
			.getBeanFactory()
			.getSingleton(LoggingApplicationListener.LOGGING_SYSTEM_BEAN_NAME);
		if (loggingSystem instanceof LoggingSystem system) {
			apply(new LoggerLevels(system), event.getApplicationContext().getEnvironment());
		}
	}

	static void apply(LoggerLevels levels, Environment environment) {
		List<String> set = new ArrayList<>();
		if (levels.setUnlessConfigured(CONFIG_DUMPS, LogLevel.WARN)) {
			set.add(CONFIG_DUMPS + " (Kafka's configuration dumps) at WARN");
		}
		if (environment.getProperty("tributary.dev-broker.enabled", Boolean.class, false)) {
			List<String> broker = BROKER_LOGGERS.stream()
				.filter((name) -> levels.setUnlessConfigured(name, LogLevel.ERROR))
				.toList();
			if (!broker.isEmpty()) {
				set.add("the dev broker's loggers (" + compact(broker) + ") at ERROR");
			}
			if (levels.setUnlessConfigured(KAFKA, LogLevel.WARN)) {
				set.add(KAFKA + " (Kafka's clients and Kafka Streams) at WARN");
			}
		}
		if (!set.isEmpty()) {
			logger.info("Logging " + String.join(", ", set) + "; set logging.level.<logger> to choose the level "
					+ "yourself. A processor's effective settings: GET /actuator/streams/{name}");
		}
	}

	/**
	 * {@code kafka, org.apache.kafka.{controller,raft}} for {@code kafka,
	 * org.apache.kafka.controller, org.apache.kafka.raft}.
	 */
	static String compact(List<String> loggers) {
		String prefix = KAFKA + ".";
		List<String> others = loggers.stream().filter((name) -> !name.startsWith(prefix)).toList();
		List<String> packages = loggers.stream()
			.filter((name) -> name.startsWith(prefix))
			.map((name) -> name.substring(prefix.length()))
			.toList();
		List<String> parts = new ArrayList<>(others);
		if (packages.size() == 1) {
			parts.add(prefix + packages.get(0));
		}
		else if (!packages.isEmpty()) {
			parts.add(prefix + "{" + String.join(",", packages) + "}");
		}
		return String.join(", ", parts);
	}

	/**
	 * After Spring Boot's logging listener, which initializes the logging system and
	 * applies {@code logging.level.*}.
	 */
	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}
