package dev.tributary.actuate;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.streams.KafkaStreams.State;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of what readiness and liveness need to know about one processor, and the
 * rules that map it to both. Whether it is alive comes from
 * {@link ManagedProcessor#isFailed()}, the one rule that the {@code streams} health
 * component and liveness share.
 *
 * @param name the processor name
 * @param started whether the processor was asked to run (not stopped on purpose)
 * @param state the Kafka Streams state
 * @param restoring whether an active task is restoring a store
 * @param failed whether the processor should run and cannot recover by itself
 * @param crashLoop why the processor was shut down as a crash loop, or {@code null}
 */
record ProcessorView(String name, boolean started, State state, boolean restoring, boolean failed,
		@Nullable String crashLoop) {

	static ProcessorView of(ManagedProcessor processor) {
		return new ProcessorView(processor.name(), processor.isStarted(), processor.state(),
				processor.isRestoring(), processor.isFailed(), processor.crashLoop().orElse(null));
	}

	/**
	 * Ready: running, with every active store restored. A processor stopped on purpose
	 * counts as ready unless {@code unreadyWhenStopped}.
	 */
	boolean ready(boolean unreadyWhenStopped) {
		if (!this.started) {
			return !unreadyWhenStopped;
		}
		return this.state == State.RUNNING && !this.restoring && !this.failed;
	}

	/**
	 * Alive: anything but a processor that should run and cannot recover by itself (in
	 * {@code ERROR}, stopped although nobody stopped it, shut down as a crash loop, or
	 * with no stream thread left). Starting, rebalancing and restoring are alive.
	 */
	boolean alive() {
		return !this.started || !this.failed;
	}

	/**
	 * Why the processor is not ready or not alive, for health details.
	 */
	String describe() {
		return this.name + " (" + this.state + (this.restoring ? ", restoring" : "")
				+ ((this.started && this.failed && this.state == State.RUNNING) ? ", no live stream thread" : "")
				+ ((this.crashLoop != null) ? ", crash loop: " + this.crashLoop : "")
				+ (this.started ? "" : ", stopped") + ")";
	}

}
