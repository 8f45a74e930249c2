package dev.tributary.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.core.NestedExceptionUtils;

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
		processor.lastUncaughtException().ifPresent((ex) -> details.put("lastError", describe(ex)));
		return details;
	}

	private static String describe(Throwable exception) {
		String description = exception.getClass().getName() + ": " + exception.getMessage();
		Throwable root = NestedExceptionUtils.getMostSpecificCause(exception);
		return (root != exception) ? description + "; caused by " + root.getClass().getName() + ": "
				+ root.getMessage() : description;
	}

}
