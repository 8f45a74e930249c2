package dev.tributary.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.tributary.async.AsyncStepStats;
import dev.tributary.async.AsyncStepWorkers;
import dev.tributary.runtime.ManagedProcessor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Publishes each async step's meters while it runs, tagged with {@code processor},
 * {@code application.id} and {@code step}:
 *
 * <ul>
 * <li>{@code tributary.async.in.flight}, {@code tributary.async.buffered.records},
 * {@code tributary.async.buffered.bytes} and {@code tributary.async.paused.partitions}:
 * what the step holds now;</li>
 * <li>{@code tributary.async.calls}: attempts by {@code outcome} (success, failure,
 * timeout; a timeout is also a failure);</li>
 * <li>{@code tributary.async.retries}: attempts made again after a failure;</li>
 * <li>{@code tributary.async.records.failed}: records whose call finally failed, by
 * {@code outcome} (dead-letter, log-and-continue);</li>
 * <li>{@code tributary.async.call.latency}: a timer of every attempt.</li>
 * </ul>
 */
public class AsyncStepMetrics implements AsyncStepWorkers.StepListener {

	private final MeterRegistry registry;

	private final Map<AsyncStepStats, List<Meter>> meters = new ConcurrentHashMap<>();

	/**
	 * Creates the meters' binder.
	 * @param registry where the meters go
	 */
	public AsyncStepMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void stepStarted(ManagedProcessor processor, AsyncStepStats step) {
		Tags tags = Tags.of("processor", processor.name(), "application.id", processor.applicationId(), "step",
				step.step());
		Timer latency = Timer.builder("tributary.async.call.latency")
			.description("Duration of each attempt of an async step's call")
			.tags(tags)
			.register(this.registry);
		step.onAttemptFinished((nanos) -> latency.record(nanos, TimeUnit.NANOSECONDS));
		this.meters.put(step,
				List.of(latency, gauge("tributary.async.in.flight", tags, step, AsyncStepStats::inFlight),
						gauge("tributary.async.buffered.records", tags, step, AsyncStepStats::buffered),
						gauge("tributary.async.buffered.bytes", tags, step, AsyncStepStats::bufferedBytes),
						gauge("tributary.async.paused.partitions", tags, step, AsyncStepStats::pausedPartitions),
						counter("tributary.async.calls", tags.and("outcome", "success"), step, AsyncStepStats::succeeded),
						counter("tributary.async.calls", tags.and("outcome", "failure"), step, AsyncStepStats::failed),
						counter("tributary.async.calls", tags.and("outcome", "timeout"), step, AsyncStepStats::timedOut),
						counter("tributary.async.retries", tags, step, AsyncStepStats::retries),
						counter("tributary.async.records.failed", tags.and("outcome", "dead-letter"), step,
								AsyncStepStats::deadLettered),
						counter("tributary.async.records.failed", tags.and("outcome", "log-and-continue"), step,
								AsyncStepStats::skipped)));
	}

	@Override
	public void stepStopped(ManagedProcessor processor, AsyncStepStats step) {
		List<Meter> bound = this.meters.remove(step);
		if (bound != null) {
			bound.forEach(this.registry::remove);
		}
	}

	private Meter gauge(String name, Tags tags, AsyncStepStats step, ToDoubleFunction<AsyncStepStats> value) {
		return Gauge.builder(name, step, value).tags(tags).register(this.registry);
	}

	private Meter counter(String name, Tags tags, AsyncStepStats step, ToDoubleFunction<AsyncStepStats> value) {
		return FunctionCounter.builder(name, step, value).tags(tags).register(this.registry);
	}

}
