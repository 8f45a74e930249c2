package dev.tributary.async;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bookkeeping of an async step: each key's order, the calls allowed in flight, and
 * commits of the finished prefix only.
 */
class WorkQueuesTests {

	private static final TopicPartition P0 = new TopicPartition("requests", 0);

	@Test
	void aKeyStartsItsNextCallOnlyAfterTheEarlierOneFinished() {
		WorkQueues queues = new WorkQueues(1);
		Work a1 = queues.add(record(0, "a"));
		Work a2 = queues.add(record(1, "a"));
		Work b1 = queues.add(record(2, "b"));
		assertThat(queues.start(10)).containsExactly(a1, b1);
		assertThat(queues.start(10)).isEmpty();
		assertThat(queues.finish(a1, Work.Outcome.result(bytes("r1")))).containsExactly(a1);
		assertThat(queues.start(10)).containsExactly(a2);
	}

	@Test
	void resultsOfAKeyAreReleasedInInputOrderWhenSeveralCallsRunAtOnce() {
		WorkQueues queues = new WorkQueues(3);
		Work a1 = queues.add(record(0, "a"));
		Work a2 = queues.add(record(1, "a"));
		Work a3 = queues.add(record(2, "a"));
		assertThat(queues.start(10)).containsExactly(a1, a2, a3);
		assertThat(queues.finish(a3, Work.Outcome.result(bytes("3")))).isEmpty();
		assertThat(queues.finish(a2, Work.Outcome.result(bytes("2")))).isEmpty();
		assertThat(queues.finish(a1, Work.Outcome.result(bytes("1")))).containsExactly(a1, a2, a3);
	}

	@Test
	void aKeyWithSeveralCallsInFlightStartsItsNextOneWhenALaterCallFinishesFirst() {
		WorkQueues queues = new WorkQueues(2);
		Work a1 = queues.add(record(0, "a"));
		Work a2 = queues.add(record(1, "a"));
		Work a3 = queues.add(record(2, "a"));
		assertThat(queues.start(10)).containsExactly(a1, a2);
		// a2 finishes before a1: it waits for a1's release, and a3 may start.
		assertThat(queues.finish(a2, Work.Outcome.result(bytes("2")))).isEmpty();
		assertThat(queues.start(10)).containsExactly(a3);
		// Nothing is left waiting: a further start finds nothing and does not fail.
		assertThat(queues.start(10)).isEmpty();
		assertThat(queues.finish(a1, Work.Outcome.result(bytes("1")))).containsExactly(a1, a2);
		assertThat(queues.start(10)).isEmpty();
		assertThat(queues.finish(a3, Work.Outcome.result(bytes("3")))).containsExactly(a3);
	}

	@Test
	void recordsWithoutAKeyOfARemovedPartitionNeverTakeASlot() {
		WorkQueues queues = new WorkQueues(1);
		queues.add(record(0, null));
		queues.add(record(1, null));
		assertThat(queues.start(1)).hasSize(1);
		queues.remove(Set.of(P0));
		assertThat(queues.inFlight()).isZero();
		// The keyless record still waiting when its partition went must not start.
		assertThat(queues.start(10)).isEmpty();
		assertThat(queues.inFlight()).isZero();
	}

	@Test
	void theBudgetLimitsCallsInFlight() {
		WorkQueues queues = new WorkQueues(1);
		for (int i = 0; i < 5; i++) {
			queues.add(record(i, "k" + i));
		}
		assertThat(queues.start(2)).hasSize(2);
		assertThat(queues.inFlight()).isEqualTo(2);
		assertThat(queues.start(3)).hasSize(3);
		assertThat(queues.inFlight()).isEqualTo(5);
	}

	@Test
	void onlyTheContiguousFinishedPrefixOfAPartitionIsCommitted() {
		WorkQueues queues = new WorkQueues(1);
		Work first = queues.add(record(0, "a"));
		Work second = queues.add(record(1, "b"));
		Work third = queues.add(record(2, "c"));
		queues.start(10);
		queues.finish(second, Work.Outcome.result(bytes("2")));
		queues.finish(third, Work.Outcome.result(bytes("3")));
		List<Work> released = new ArrayList<>();
		queues.releaseHeads((work) -> work.status == Work.Status.DONE, released::add);
		assertThat(released).isEmpty();
		assertThat(queues.takeCommittable()).isEmpty();
		queues.finish(first, Work.Outcome.result(bytes("1")));
		queues.releaseHeads((work) -> work.status == Work.Status.DONE, released::add);
		assertThat(released).containsExactly(first, second, third);
		Map<TopicPartition, OffsetAndMetadata> offsets = queues.takeCommittable();
		assertThat(offsets).containsEntry(P0, new OffsetAndMetadata(3));
		queues.committed(offsets);
		assertThat(queues.takeCommittable()).isEmpty();
		assertThat(queues.buffered()).isZero();
		assertThat(queues.bufferedBytes()).isZero();
	}

	@Test
	void aCallThatFinishesAfterItsPartitionWasTakenAwayIsIgnored() {
		WorkQueues queues = new WorkQueues(1);
		Work old = queues.add(record(0, "a"));
		queues.start(10);
		assertThat(queues.remove(Set.of(P0))).isEqualTo(1);
		assertThat(queues.inFlight()).isZero();
		// The partition comes back and the same record is read again.
		Work again = queues.add(record(0, "a"));
		assertThat(queues.finish(old, Work.Outcome.result(bytes("stale")))).isEmpty();
		assertThat(queues.holds(old)).isFalse();
		assertThat(queues.start(10)).containsExactly(again);
	}

	@Test
	void recordsWithoutAKeyDoNotWaitForEachOther() {
		WorkQueues queues = new WorkQueues(1);
		Work n1 = queues.add(record(0, null));
		Work n2 = queues.add(record(1, null));
		assertThat(queues.start(10)).containsExactly(n1, n2);
		assertThat(queues.finish(n2, Work.Outcome.result(null))).containsExactly(n2);
	}

	private static ConsumerRecord<byte[], byte[]> record(long offset, String key) {
		return new ConsumerRecord<>(P0.topic(), P0.partition(), offset, (key != null) ? bytes(key) : null, bytes("v"));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
