package dev.tributary.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.runtime.UncaughtExceptionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Tributary's stream processors, under {@code tributary.*}.
 *
 * <p>A processor's Kafka Streams properties are merged from, lowest precedence first:
 * Spring Boot's {@code spring.kafka.*} (cluster, security, {@code spring.kafka.streams.*}),
 * {@code tributary.streams.*}, then {@code tributary.processors.<name>.properties.*}.
 */
@ConfigurationProperties("tributary")
public class TributaryProperties {

	/**
	 * Kafka Streams properties applied to every processor, for example
	 * 'num.stream.threads' or 'state.dir'.
	 */
	private Map<String, String> streams = new LinkedHashMap<>();

	/**
	 * Whether processors start with the application context.
	 */
	private boolean autoStartup = true;

	/**
	 * How long stopping a processor may wait for its stream threads to finish.
	 */
	private Duration closeTimeout = Duration.ofSeconds(30);

	/**
	 * What a processor does when a stream thread dies of an unhandled exception.
	 */
	private UncaughtExceptionPolicy uncaughtExceptionPolicy = UncaughtExceptionPolicy.REPLACE_THREAD;

	/**
	 * Per-processor settings, by processor name; each overrides the global ones.
	 */
	private Map<String, Processor> processors = new LinkedHashMap<>();

	/**
	 * The optional in-process Kafka broker for development.
	 */
	private final DevBroker devBroker = new DevBroker();

	/**
	 * How processors count towards the application's health.
	 */
	private final Health health = new Health();

	public Map<String, String> getStreams() {
		return this.streams;
	}

	public void setStreams(Map<String, String> streams) {
		this.streams = streams;
	}

	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public UncaughtExceptionPolicy getUncaughtExceptionPolicy() {
		return this.uncaughtExceptionPolicy;
	}

	public void setUncaughtExceptionPolicy(UncaughtExceptionPolicy uncaughtExceptionPolicy) {
		this.uncaughtExceptionPolicy = uncaughtExceptionPolicy;
	}

	public Map<String, Processor> getProcessors() {
		return this.processors;
	}

	public void setProcessors(Map<String, Processor> processors) {
		this.processors = processors;
	}

	public DevBroker getDevBroker() {
		return this.devBroker;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * How processors count towards the application's health.
	 */
	public static class Health {

		/**
		 * Whether a processor stopped on purpose (or never started) makes the application
		 * unready. By default only processors that should be running count.
		 */
		private boolean unreadyWhenStopped;

		public boolean isUnreadyWhenStopped() {
			return this.unreadyWhenStopped;
		}

		public void setUnreadyWhenStopped(boolean unreadyWhenStopped) {
			this.unreadyWhenStopped = unreadyWhenStopped;
		}

	}

	/**
	 * Settings of one processor.
	 */
	public static class Processor {

		/**
		 * Kafka Streams application id; defaults to '<spring.application.name>-<processor
		 * name>'.
		 */
		private @Nullable String applicationId;

		/**
		 * Whether this processor starts with the application context; defaults to
		 * 'tributary.auto-startup'.
		 */
		private @Nullable Boolean autoStartup;

		/**
		 * How long stopping this processor may wait; defaults to
		 * 'tributary.close-timeout'.
		 */
		private @Nullable Duration closeTimeout;

		/**
		 * What this processor does when a stream thread dies of an unhandled exception;
		 * defaults to 'tributary.uncaught-exception-policy'.
		 */
		private @Nullable UncaughtExceptionPolicy uncaughtExceptionPolicy;

		/**
		 * Kafka Streams properties for this processor only; they override
		 * 'tributary.streams'.
		 */
		private Map<String, String> properties = new LinkedHashMap<>();

		public @Nullable String getApplicationId() {
			return this.applicationId;
		}

		public void setApplicationId(@Nullable String applicationId) {
			this.applicationId = applicationId;
		}

		public @Nullable Boolean getAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(@Nullable Boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(@Nullable Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

		public @Nullable UncaughtExceptionPolicy getUncaughtExceptionPolicy() {
			return this.uncaughtExceptionPolicy;
		}

		public void setUncaughtExceptionPolicy(@Nullable UncaughtExceptionPolicy uncaughtExceptionPolicy) {
			this.uncaughtExceptionPolicy = uncaughtExceptionPolicy;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public void setProperties(Map<String, String> properties) {
			this.properties = properties;
		}

	}

	/**
	 * The in-process development broker.
	 */
	public static class DevBroker {

		/**
		 * Whether to start a single-node KRaft Kafka broker inside the application
		 * (needs 'org.apache.kafka:kafka_2.13' on the classpath). For development and
		 * tests only.
		 */
		private boolean enabled;

		/**
		 * Port the broker listens on; 0 picks a free port. If a broker already listens
		 * on the port, it is used instead.
		 */
		private int port = 9092;

		/**
		 * Directory for the broker's data; kept across restarts. When not set, a
		 * temporary directory is used and deleted on shutdown.
		 */
		private @Nullable String dataDir;

		/**
		 * Number of partitions of topics the broker creates automatically.
		 */
		private int partitions = 1;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getDataDir() {
			return this.dataDir;
		}

		public void setDataDir(@Nullable String dataDir) {
			this.dataDir = dataDir;
		}

		public int getPartitions() {
			return this.partitions;
		}

		public void setPartitions(int partitions) {
			this.partitions = partitions;
		}

	}

}
