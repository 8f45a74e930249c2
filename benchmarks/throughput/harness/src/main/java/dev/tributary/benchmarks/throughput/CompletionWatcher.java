package dev.tributary.benchmarks.throughput;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.tributary.benchmarks.BenchmarkBroker;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Decides from outside the application when a run is done: when its consumer group has
 * committed the end of the input and of every repartition topic. At either guarantee a
 * commit comes after the output it covers is written (exactly-once: in the same
 * transaction), so at that moment every input record is reflected in the output. It
 * reads offsets from the broker and the instance's state, and so treats both variants
 * exactly alike. It also notes the CPU time the process used while processing: under
 * load from other processes, CPU per record varies much less than records per second.
 */
final class CompletionWatcher {

	private static final long STATE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private static final long OFFSETS_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	private final BenchmarkBroker broker;

	CompletionWatcher(BenchmarkBroker broker) {
		this.broker = broker;
	}

	/**
	 * Waits until the application has committed all its input.
	 * @param applicationId the application (its consumer group)
	 * @param streams the application's instance
	 * @param inputEndOffsets the input's end offsets
	 * @param timeout how long to wait
	 * @return when the instance was first seen {@code RUNNING} and when completion was
	 * seen, as {@link System#nanoTime()}
	 */
	Completion awaitCommitted(String applicationId, KafkaStreams streams, Map<TopicPartition, Long> inputEndOffsets,
			Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long running = 0;
		long runningCpu = 0;
		long nextOffsetsPoll = 0;
		Map<TopicPartition, Long> committed = Map.of();
		while (System.nanoTime() < deadline) {
			if (running == 0 && streams.state() == KafkaStreams.State.RUNNING) {
				running = System.nanoTime();
				runningCpu = ProcessCpu.nanos();
			}
			if (System.nanoTime() >= nextOffsetsPoll) {
				nextOffsetsPoll = System.nanoTime() + OFFSETS_POLL_NANOS;
				committed = this.broker.committedOffsets(applicationId);
				if (reached(committed, inputEndOffsets) && repartitionTopicsCommitted(applicationId, committed)) {
					if (running == 0) {
						throw new IllegalStateException("Application " + applicationId
								+ " committed all its input before it was seen RUNNING; use more input records");
					}
					return new Completion(running, System.nanoTime(), ProcessCpu.nanos() - runningCpu);
				}
			}
			LockSupport.parkNanos(STATE_POLL_NANOS);
		}
		throw new IllegalStateException("Application " + applicationId + " did not commit all its input within "
				+ timeout + " (state " + streams.state() + "); committed " + committed + ", input ends at "
				+ inputEndOffsets);
	}

	/**
	 * The input is committed, so everything it produced into repartition topics is
	 * written; those must now be committed to their end as well.
	 */
	private boolean repartitionTopicsCommitted(String applicationId, Map<TopicPartition, Long> committed) {
		Set<String> repartition = this.broker.topics(applicationId + "-", "-repartition");
		return repartition.isEmpty() || reached(committed, this.broker.endOffsets(repartition));
	}

	private static boolean reached(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> endOffsets) {
		return endOffsets.entrySet()
			.stream()
			.allMatch((end) -> committed.getOrDefault(end.getKey(), 0L) >= end.getValue());
	}

	/**
	 * When a run reached its milestones.
	 * @param runningNanos first seen in state {@code RUNNING}
	 * @param doneNanos all input seen committed
	 * @param cpuNanos CPU time the whole process used in between
	 */
	record Completion(long runningNanos, long doneNanos, long cpuNanos) {
	}

}
