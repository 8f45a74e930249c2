package dev.tributary.actuate;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * A snapshot of what readiness and liveness need to know about one processor, and the
 * rules that map it to both.
 *
 * @param name the processor name
 * @param started whether the processor was asked to run (not stopped on purpose)
 * @param state the Kafka Streams state
 * @param restoring whether an active task is restoring a store
 * @param threads the number of stream threads
 * @param aliveThreads the number of stream threads not dead or dying
 */
record ProcessorView(String name, boolean started, State state, boolean restoring, int threads, long aliveThreads) {

	static ProcessorView of(ManagedProcessor processor) {
		return new ProcessorView(processor.name(), processor.isStarted(), processor.state(),
				processor.isRestoring(), processor.threads().size(), processor.aliveThreadCount());
	}

	/**
	 * Ready: running, with every active store restored. A processor stopped on purpose
	 * counts as ready unless {@code unreadyWhenStopped}.
	 */
	boolean ready(boolean unreadyWhenStopped) {
		if (!this.started) {
			return !unreadyWhenStopped;
		}
		return this.state == State.RUNNING && !this.restoring;
	}

	/**
	 * Alive: anything but a processor that should run and cannot recover by itself
	 * (in {@code ERROR}, stopped although nobody stopped it, or with every stream
	 * thread dead). Starting, rebalancing and restoring are alive.
	 */
	boolean alive() {
		if (!this.started) {
			return true;
		}
		return switch (this.state) {
			case CREATED -> true;
			case REBALANCING, RUNNING -> this.threads == 0 || this.aliveThreads > 0;
			case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> false;
		};
	}

	/**
	 * Why the processor is not ready or not alive, for health details.
	 */
	String describe() {
		return this.name + " (" + this.state + (this.restoring ? ", restoring" : "")
				+ (this.started ? "" : ", stopped") + ")";
	}

}
