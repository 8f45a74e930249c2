package dev.tributary.async;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * The records an async step holds, in the two orders that matter: each key's input order
 * (a key's calls start and its results are released in that order, at most
 * {@code maxInFlightPerKey} at a time) and each partition's offset order (only the
 * contiguous prefix of finished records is ever committed). Not thread-safe: used only by
 * the step's polling thread.
 */
final class WorkQueues {

	private final int maxInFlightPerKey;

	private final Map<TopicPartition, PartitionWork> partitions = new LinkedHashMap<>();

	// Keys that may start a call; a key can be here more than once or after it has gone.
	private final ArrayDeque<KeyQueue> ready = new ArrayDeque<>();

	private int inFlight;

	private int buffered;

	private long bufferedBytes;

	WorkQueues(int maxInFlightPerKey) {
		this.maxInFlightPerKey = maxInFlightPerKey;
	}

	/** Takes a polled record; its partition must be assigned. */
	Work add(ConsumerRecord<byte[], byte[]> record) {
		Work work = new Work(record);
		PartitionWork partition = this.partitions.computeIfAbsent(work.partition, PartitionWork::new);
		partition.inOrder.addLast(work);
		work.owner = partition;
		KeyQueue queue;
		if (work.key != null) {
			queue = partition.keys.computeIfAbsent(work.key, (k) -> new KeyQueue(partition, k));
		}
		else {
			// Records without a key have no order to keep: each is a queue of its own.
			queue = new KeyQueue(partition, null);
			partition.keyless.add(queue);
			work.keylessQueue = queue;
		}
		queue.items.addLast(work);
		queue.waiting++;
		if (queue.canStart(this.maxInFlightPerKey)) {
			this.ready.addLast(queue);
		}
		this.buffered++;
		this.bufferedBytes += work.bytes;
		return work;
	}

	/**
	 * Marks up to {@code budget} records whose turn has come as running.
	 * @return the records to call now
	 */
	List<Work> start(int budget) {
		List<Work> started = new ArrayList<>();
		while (started.size() < budget && !this.ready.isEmpty()) {
			KeyQueue queue = this.ready.pollFirst();
			if (queue.removed || this.partitions.get(queue.partition.partition) != queue.partition) {
				continue;
			}
			while (started.size() < budget && queue.canStart(this.maxInFlightPerKey)) {
				Work work = queue.nextWaiting();
				work.status = Work.Status.RUNNING;
				queue.running++;
				queue.waiting--;
				this.inFlight++;
				started.add(work);
			}
			if (queue.canStart(this.maxInFlightPerKey)) {
				this.ready.addFirst(queue);
			}
		}
		return started;
	}

	/**
	 * Records a finished call. A record of a partition that is no longer assigned is
	 * ignored.
	 * @return the key's records, in input order, whose outcome may now be released: this
	 * one and those after it that finished earlier
	 */
	List<Work> finish(Work work, Work.Outcome outcome) {
		PartitionWork partition = this.partitions.get(work.partition);
		if (partition == null || work.owner != partition || work.status != Work.Status.RUNNING) {
			return List.of();
		}
		work.status = Work.Status.DONE;
		work.outcome = outcome;
		work.resultBytes = (outcome.result() != null) ? outcome.result().length : 0;
		this.bufferedBytes += work.resultBytes;
		this.inFlight--;
		KeyQueue queue = (work.key != null) ? partition.keys.get(work.key) : null;
		if (queue == null) {
			partition.keyless.remove(work.keylessQueue);
			return List.of(work);
		}
		queue.running--;
		List<Work> released = new ArrayList<>();
		while (!queue.items.isEmpty() && queue.items.peekFirst().status == Work.Status.DONE) {
			released.add(queue.items.pollFirst());
		}
		if (queue.items.isEmpty()) {
			partition.keys.remove(queue.key);
			queue.removed = true;
		}
		else if (queue.canStart(this.maxInFlightPerKey)) {
			this.ready.addLast(queue);
		}
		return released;
	}

	/**
	 * Releases each partition's head records while {@code releasable} says so, in offset
	 * order, and forgets them.
	 * @param releasable whether a head record may go
	 * @param onRelease told about each released record, in offset order
	 */
	void releaseHeads(Predicate<Work> releasable, Consumer<Work> onRelease) {
		for (PartitionWork partition : this.partitions.values()) {
			while (!partition.inOrder.isEmpty() && releasable.test(partition.inOrder.peekFirst())) {
				Work head = partition.inOrder.pollFirst();
				partition.committable = head.offset() + 1;
				this.buffered--;
				this.bufferedBytes -= head.bytes + head.resultBytes;
				onRelease.accept(head);
			}
		}
	}

	/**
	 * The offsets to commit: for each partition, the offset after its contiguous prefix of
	 * released records, when that has moved since the last call.
	 */
	Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (PartitionWork partition : this.partitions.values()) {
			if (partition.committable > partition.committed) {
				offsets.put(partition.partition, new OffsetAndMetadata(partition.committable));
			}
		}
		return offsets;
	}

	/** After a successful commit of {@code offsets}. */
	void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
		offsets.forEach((partition, offset) -> {
			PartitionWork work = this.partitions.get(partition);
			if (work != null) {
				work.committed = Math.max(work.committed, offset.offset());
			}
		});
	}

	/**
	 * Forgets the partitions' records: their calls' outcomes are ignored from now on.
	 * @return how many records were dropped
	 */
	int remove(Collection<TopicPartition> removed) {
		return remove(removed, (work) -> {
		});
	}

	/**
	 * Forgets the partitions' records, telling {@code abandoned} about each whose call is
	 * under way (to cancel it).
	 * @return how many records were dropped
	 */
	int remove(Collection<TopicPartition> removed, Consumer<Work> abandoned) {
		int dropped = 0;
		for (TopicPartition tp : removed) {
			PartitionWork partition = this.partitions.remove(tp);
			if (partition == null) {
				continue;
			}
			for (Work work : partition.inOrder) {
				if (work.status == Work.Status.RUNNING) {
					this.inFlight--;
					abandoned.accept(work);
				}
				this.buffered--;
				this.bufferedBytes -= work.bytes + work.resultBytes;
				dropped++;
			}
			partition.keys.values().forEach((queue) -> queue.removed = true);
			partition.keyless.forEach((queue) -> ((KeyQueue) queue).removed = true);
		}
		return dropped;
	}

	/** Whether the partition's records are still held (its outcomes still count). */
	boolean holds(Work work) {
		PartitionWork partition = this.partitions.get(work.partition);
		return partition != null && work.owner == partition;
	}

	int inFlight() {
		return this.inFlight;
	}

	int buffered() {
		return this.buffered;
	}

	long bufferedBytes() {
		return this.bufferedBytes;
	}

	private static final class PartitionWork {

		final TopicPartition partition;

		final ArrayDeque<Work> inOrder = new ArrayDeque<>();

		final Map<Bytes, KeyQueue> keys = new HashMap<>();

		final Set<Object> keyless = Collections.newSetFromMap(new IdentityHashMap<>());

		long committable = -1;

		long committed = -1;

		PartitionWork(TopicPartition partition) {
			this.partition = partition;
		}

	}

	private static final class KeyQueue {

		final PartitionWork partition;

		final @Nullable Bytes key;

		final ArrayDeque<Work> items = new ArrayDeque<>();

		int running;

		int waiting;

		boolean removed;

		KeyQueue(PartitionWork partition, @Nullable Bytes key) {
			this.partition = partition;
			this.key = key;
		}

		boolean canStart(int maxInFlightPerKey) {
			return !this.removed && this.running < maxInFlightPerKey && this.waiting > 0;
		}

		Work nextWaiting() {
			Iterator<Work> iterator = this.items.iterator();
			while (iterator.hasNext()) {
				Work work = iterator.next();
				if (work.status == Work.Status.WAITING) {
					return work;
				}
			}
			throw new IllegalStateException("no waiting record");
		}

	}

}
