package dev.tributary.actuate;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.tributary.async.AsyncStepStats;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code streams} health component: one entry per processor with its state,
 * application id, stream threads and their tasks, restoration progress per store,
 * paused flag, thread replacements, crash loop and last uncaught error. It is
 * {@code DOWN} as soon as a processor that should be running has failed (see
 * {@link ManagedProcessor#isFailed()}, the same rule liveness uses), so a dead processor
 * never leaves the application looking healthy; a processor stopped on purpose does not
 * count.
 *
 * <p>It reads only state kept current by Kafka Streams' state and restore listeners; it
 * never calls Kafka, so it never blocks a probe.
 */
public class StreamsHealthIndicator extends AbstractHealthIndicator {

	private final ProcessorRegistry registry;

	private final Function<String, List<AsyncStepStats>> asyncSteps;

	/**
	 * Creates the indicator for the given processors.
	 * @param registry the processors
	 */
	public StreamsHealthIndicator(ProcessorRegistry registry) {
		this(registry, (processor) -> List.of());
	}

	/**
	 * Creates the indicator for the given processors and their async steps.
	 * @param registry the processors
	 * @param asyncSteps the async steps of a processor, by its name
	 */
	public StreamsHealthIndicator(ProcessorRegistry registry, Function<String, List<AsyncStepStats>> asyncSteps) {
		super("Streams health check failed");
		this.registry = registry;
		this.asyncSteps = asyncSteps;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean failed = false;
		for (ManagedProcessor processor : this.registry.processors()) {
			failed |= !ProcessorView.of(processor).alive();
			Map<String, Object> details = ProcessorDetails.health(processor);
			List<AsyncStepStats> steps = this.asyncSteps.apply(processor.name());
			if (!steps.isEmpty()) {
				details.put("asyncSteps", ProcessorDetails.asyncSteps(steps, true));
			}
			builder.withDetail(processor.name(), details);
		}
		if (failed) {
			builder.down();
		}
		else {
			builder.up();
		}
	}

}
