package dev.tributary.actuate;

import java.util.List;

import dev.tributary.runtime.ProcessorRegistry;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Readiness ({@code /actuator/health/readiness}) that also waits for the processors:
 * the application refuses traffic until every started processor is {@code RUNNING}
 * with no active store still restoring, since queries against it would fail. A
 * processor stopped on purpose does not make the application unready unless
 * {@code tributary.health.unready-when-stopped} is set.
 */
public class StreamsReadinessStateHealthIndicator extends ReadinessStateHealthIndicator {

	private final ProcessorRegistry registry;

	private final boolean unreadyWhenStopped;

	/**
	 * Creates the indicator.
	 * @param availability the application's availability
	 * @param registry the processors
	 * @param unreadyWhenStopped whether a stopped processor makes the application unready
	 */
	public StreamsReadinessStateHealthIndicator(ApplicationAvailability availability, ProcessorRegistry registry,
			boolean unreadyWhenStopped) {
		super(availability);
		this.registry = registry;
		this.unreadyWhenStopped = unreadyWhenStopped;
	}

	@Override
	protected AvailabilityState getState(ApplicationAvailability applicationAvailability) {
		AvailabilityState state = super.getState(applicationAvailability);
		if (state == ReadinessState.ACCEPTING_TRAFFIC && !notReady().isEmpty()) {
			return ReadinessState.REFUSING_TRAFFIC;
		}
		return state;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		super.doHealthCheck(builder);
		List<String> notReady = notReady();
		if (!notReady.isEmpty()) {
			builder.withDetail("processorsNotReady", notReady);
		}
	}

	private List<String> notReady() {
		return this.registry.processors()
			.stream()
			.map(ProcessorView::of)
			.filter((view) -> !view.ready(this.unreadyWhenStopped))
			.map(ProcessorView::describe)
			.toList();
	}

}
