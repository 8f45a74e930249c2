package dev.tributary.async;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * One record taken by an async step, from the moment it is polled until its offset is
 * committed. Touched only on the step's polling thread.
 */
final class Work {

	enum Status {

		/** Polled; its key's earlier records still hold its turn. */
		WAITING,

		/** Its call (or a retry, or the back-off before one) is under way. */
		RUNNING,

		/** Its outcome is known; not yet written. */
		DONE,

		/** Its outcome has been handed to the producer. */
		SENT,

		/** The broker has acknowledged its outcome (at-least-once only). */
		ACKED

	}

	final ConsumerRecord<byte[], byte[]> record;

	final TopicPartition partition;

	final @Nullable Bytes key;

	final long bytes;

	/** The size of the serialized result, held until the record is released. */
	long resultBytes;

	Status status = Status.WAITING;

	int attempts;

	long startedNanos;

	/** The partition's holder that took it, so a finish after a reassignment is ignored. */
	@Nullable Object owner;

	/** The queue of its own of a record without a key. */
	@Nullable Object keylessQueue;

	/** The pool task of a blocking call under way, to cancel when the record is dropped. */
	java.util.concurrent.@Nullable Future<?> task;

	/** What to write once it is this record's turn; null until DONE. */
	@Nullable Outcome outcome;

	Work(ConsumerRecord<byte[], byte[]> record) {
		this.record = record;
		this.partition = new TopicPartition(record.topic(), record.partition());
		this.key = (record.key() != null) ? Bytes.wrap(record.key()) : null;
		this.bytes = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
	}

	long offset() {
		return this.record.offset();
	}

	@Override
	public String toString() {
		return this.partition + "@" + offset() + "[" + this.status + "]";
	}

	/**
	 * What a finished record produces.
	 *
	 * @param result the serialized result, or null when nothing is written
	 * @param deadLetter true when {@code result} is unused and the record goes to the
	 * dead-letter topic
	 * @param failure the error, for dead letters and logs
	 */
	record Outcome(byte @Nullable [] result, boolean deadLetter, @Nullable Throwable failure) {

		static Outcome result(byte @Nullable [] result) {
			return new Outcome(result, false, null);
		}

		static Outcome deadLetter(Throwable failure) {
			return new Outcome(null, true, failure);
		}

		static Outcome skip(Throwable failure) {
			return new Outcome(null, false, failure);
		}

		boolean writes() {
			return this.deadLetter || this.failure == null;
		}

	}

}
