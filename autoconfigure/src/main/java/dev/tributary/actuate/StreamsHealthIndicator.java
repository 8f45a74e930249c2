package dev.tributary.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code streams} health component: one entry per processor. It is {@code DOWN} as
 * soon as any processor that should be running is not (in {@code ERROR}, or stopped
 * without anyone asking), so a dead processor never leaves the application looking
 * healthy. A processor stopped on purpose does not count.
 *
 * <p>It reads only state already held in memory; it never calls Kafka.
 */
public class StreamsHealthIndicator extends AbstractHealthIndicator {

	private final ProcessorRegistry registry;

	/**
	 * Creates the indicator for the given processors.
	 * @param registry the processors
	 */
	public StreamsHealthIndicator(ProcessorRegistry registry) {
		super("Streams health check failed");
		this.registry = registry;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean failed = false;
		for (ManagedProcessor processor : this.registry.processors()) {
			failed |= processor.isFailed();
			builder.withDetail(processor.name(), details(processor));
		}
		if (failed) {
			builder.down();
		}
		else {
			builder.up();
		}
	}

	private static Map<String, Object> details(ManagedProcessor processor) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", processor.state().name());
		details.put("applicationId", processor.applicationId());
		details.put("started", processor.isStarted());
		processor.lastUncaughtException()
			.ifPresent((ex) -> details.put("lastError", ex.getClass().getName() + ": " + ex.getMessage()));
		return details;
	}

}
