package dev.tributary.runtime;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.StringJoiner;

import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything needed to run one processor: its name, its fully resolved Kafka Streams
 * properties and how to build its topology.
 *
 * @param name the processor's name
 * @param streamsProperties the resolved Kafka Streams properties, including
 * {@code application.id} and {@code bootstrap.servers}
 * @param topologyFactory builds the processor's topology
 * @param autoStartup whether the processor starts with the application context
 * @param closeTimeout how long a stop may wait for the processor to close
 * @param uncaughtExceptionPolicy what happens when a stream thread dies
 * @param crashLoopLimit how many thread replacements are allowed before the processor is
 * shut down
 */
public record ProcessorDefinition(String name, Properties streamsProperties, TopologyFactory topologyFactory,
		boolean autoStartup, Duration closeTimeout, UncaughtExceptionPolicy uncaughtExceptionPolicy,
		CrashLoopLimit crashLoopLimit) {

	/**
	 * Creates a definition, keeping a private copy of the properties.
	 */
	public ProcessorDefinition {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(topologyFactory, "topologyFactory");
		Objects.requireNonNull(closeTimeout, "closeTimeout");
		Objects.requireNonNull(uncaughtExceptionPolicy, "uncaughtExceptionPolicy");
		Objects.requireNonNull(crashLoopLimit, "crashLoopLimit");
		streamsProperties = copy(streamsProperties);
		Objects.requireNonNull(streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
				"streamsProperties must contain application.id");
	}

	/**
	 * The processor's Kafka Streams application id.
	 * @return the application id
	 */
	public String applicationId() {
		return this.streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
	}

	/**
	 * A copy of the resolved Kafka Streams properties.
	 * @return the properties; changing them does not change the definition
	 */
	@Override
	public Properties streamsProperties() {
		return copy(this.streamsProperties);
	}

	/**
	 * Describes the definition with the values of secret properties ({@code sasl.jaas.config},
	 * SSL passwords ...) hidden, so that it is safe to log.
	 * @see SensitiveKeys
	 */
	@Override
	public String toString() {
		// Every component, whatever components are added later; only the properties masked.
		StringJoiner description = new StringJoiner(", ", "ProcessorDefinition[", "]");
		for (RecordComponent component : ProcessorDefinition.class.getRecordComponents()) {
			Object value;
			try {
				value = component.getAccessor().invoke(this);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
			if (value instanceof Properties properties) {
				value = SensitiveKeys.masked(properties);
			}
			description.add(component.getName() + "=" + value);
		}
		return description.toString();
	}

	private static Properties copy(Properties properties) {
		Properties copy = new Properties();
		copy.putAll(properties);
		return copy;
	}

}
