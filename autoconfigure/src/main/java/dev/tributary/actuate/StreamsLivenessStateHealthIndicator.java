package dev.tributary.actuate;

import java.util.List;

import dev.tributary.runtime.ProcessorRegistry;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.health.application.LivenessStateHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Liveness ({@code /actuator/health/liveness}) that also breaks when a processor is dead:
 * in {@code ERROR}, not running although nobody stopped it, shut down as a crash loop, or
 * with no live stream thread left (the rule of {@code ManagedProcessor#isFailed()}, which
 * the {@code streams} health component shares). Starting, rebalancing and restoring
 * processors are alive, so a long restore never gets the application restarted.
 */
public class StreamsLivenessStateHealthIndicator extends LivenessStateHealthIndicator {

	private final ProcessorRegistry registry;

	/**
	 * Creates the indicator.
	 * @param availability the application's availability
	 * @param registry the processors
	 */
	public StreamsLivenessStateHealthIndicator(ApplicationAvailability availability, ProcessorRegistry registry) {
		super(availability);
		this.registry = registry;
	}

	@Override
	protected AvailabilityState getState(ApplicationAvailability applicationAvailability) {
		AvailabilityState state = super.getState(applicationAvailability);
		if (state == LivenessState.CORRECT && !dead().isEmpty()) {
			return LivenessState.BROKEN;
		}
		return state;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		super.doHealthCheck(builder);
		List<String> dead = dead();
		if (!dead.isEmpty()) {
			builder.withDetail("processorsDead", dead);
		}
	}

	private List<String> dead() {
		return this.registry.processors()
			.stream()
			.map(ProcessorView::of)
			.filter((view) -> !view.alive())
			.map(ProcessorView::describe)
			.toList();
	}

}
