package dev.tributary.async;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.jspecify.annotations.Nullable;

/**
 * Adds async steps to a processor's topology. Declare it as the second parameter of the
 * topology method and apply a step to a stream:
 *
 * <pre class="code">
 * void topology(StreamsBuilder builder, AsyncSteps async) {
 *     KStream&lt;String, Event&gt; events = builder.stream("events", Consumed.with(keySerde, eventSerde));
 *     KStream&lt;String, Enriched&gt; enriched = async.mapValues(events,
 *             AsyncStep.call("enrich", (key, event) -&gt; client.enrich(event))
 *                 .withSerdes(keySerde, eventSerde, enrichedSerde)
 *                 .withMaxInFlight(400));
 *     enriched.to("enriched", Produced.with(keySerde, enrichedSerde));
 * }
 * </pre>
 *
 * The stream is written to the step's requests topic ({@code <application-id>-<step>-requests});
 * a worker beside the processor calls the step for many records at once, in each key's
 * order, and writes the results to {@code <application-id>-<step>-results}, which the
 * returned stream reads.
 */
public final class AsyncSteps {

	/** The Kafka Streams property under which a processor's steps are collected at start. */
	public static final String CONFIG_KEY = "tributary.async.steps";

	private static final String NODE_PREFIX = "tributary-async-";

	private static final String REQUESTS_NODE_SUFFIX = "-requests";

	private static final String RESULTS_NODE_SUFFIX = "-results";

	private final StreamsBuilder builder;

	private final String applicationId;

	private final List<AsyncStep<?, ?, ?>> steps = new ArrayList<>();

	private AsyncSteps(StreamsBuilder builder, String applicationId) {
		this.builder = builder;
		this.applicationId = applicationId;
	}

	/**
	 * The steps of one build of a processor's topology. Each build collects its own steps;
	 * the runtime reads them from the properties after the build.
	 * @param builder the builder the topology is built with
	 * @param streamsProperties the processor's Kafka Streams properties
	 * @return the steps of this build
	 */
	public static AsyncSteps forBuild(StreamsBuilder builder, Properties streamsProperties) {
		AsyncSteps steps = new AsyncSteps(builder,
				streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG, "application"));
		if (streamsProperties.get(CONFIG_KEY) instanceof Collector collector) {
			collector.built = steps;
		}
		return steps;
	}

	/**
	 * Turns a stream of values into a stream of the step's results, key by key in input
	 * order.
	 * @param stream the input stream
	 * @param step the step, with its serdes
	 * @param <K> the key type
	 * @param <V> the input value type
	 * @param <R> the result type
	 * @return the stream of results, with the input keys
	 */
	public <K, V, R> KStream<K, R> mapValues(KStream<K, V> stream, AsyncStep<K, V, R> step) {
		Objects.requireNonNull(stream, "stream");
		Objects.requireNonNull(step, "step");
		if (this.steps.stream().anyMatch((existing) -> existing.name().equals(step.name()))) {
			throw new IllegalArgumentException("Async step '" + step.name()
					+ "' is used twice in one topology; give each step its own name");
		}
		this.steps.add(step);
		String requests = AsyncStepDefinition.requestsTopic(this.applicationId, step.name());
		String results = AsyncStepDefinition.resultsTopic(this.applicationId, step.name());
		stream.to(requests, Produced.with(step.keySerde(), step.valueSerde())
			.withName(NODE_PREFIX + step.name() + REQUESTS_NODE_SUFFIX));
		return this.builder.stream(results, Consumed.with(step.keySerde(), step.resultSerde())
			.withName(NODE_PREFIX + step.name() + RESULTS_NODE_SUFFIX));
	}

	/**
	 * The async step a topology node belongs to: the sink that writes a step's requests
	 * or the source that reads its results, named after the step.
	 * @param nodeName the node's name in the topology description
	 * @return the step's name, or {@code null} if the node is no step's
	 */
	public static @Nullable String stepOf(String nodeName) {
		for (String suffix : new String[] { REQUESTS_NODE_SUFFIX, RESULTS_NODE_SUFFIX }) {
			if (nodeName.startsWith(NODE_PREFIX) && nodeName.endsWith(suffix)
					&& nodeName.length() > NODE_PREFIX.length() + suffix.length()) {
				return nodeName.substring(NODE_PREFIX.length(), nodeName.length() - suffix.length());
			}
		}
		return null;
	}

	/**
	 * The steps added so far.
	 * @return the steps, in the order they were added
	 */
	public List<AsyncStep<?, ?, ?>> steps() {
		return List.copyOf(this.steps);
	}

	/**
	 * Carries one build's steps from the topology method to the runtime, through the
	 * processor's Kafka Streams properties.
	 */
	static final class Collector {

		private volatile AsyncSteps built;

		List<AsyncStep<?, ?, ?>> steps() {
			AsyncSteps current = this.built;
			return (current != null) ? current.steps() : List.of();
		}

	}

}
