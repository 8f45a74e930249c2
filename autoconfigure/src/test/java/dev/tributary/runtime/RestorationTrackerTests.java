package dev.tributary.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the restoration tracker says about restores short and long, and its rates.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestorationTrackerTests {

	private static final TopicPartition P0 = new TopicPartition("shop-orders-totals-changelog", 0);

	private static final TopicPartition P1 = new TopicPartition("shop-orders-totals-changelog", 1);

	// Starts far from 0: 0 marks a partition still restoring.
	private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));

	private final RestorationTracker tracker = new RestorationTracker("orders", List.of(), this.now::get);

	@Test
	void aShortRestoreSaysHowLongItTookInsteadOfARate(CapturedOutput output) {
		this.tracker.onRestoreStart(P0, "totals", 0, 37);
		advance(Duration.ofMillis(18));
		this.tracker.onBatchRestored(P0, "totals", 37, 37);
		this.tracker.onRestoreEnd(P0, "totals", 37);
		assertThat(output).contains("Processor 'orders': restored store 'totals': 37 records in 18 ms")
			.doesNotContain("records/s");
		assertThat(this.tracker.restorations().get(0).recordsPerSecond()).isCloseTo(37 / 0.018, within(1e-6));
	}

	@Test
	void aLongRestoreGivesItsRate(CapturedOutput output) {
		this.tracker.onRestoreStart(P0, "totals", 0, 250_000);
		advance(Duration.ofMillis(2500));
		this.tracker.onRestoreEnd(P0, "totals", 250_000);
		assertThat(output).contains("restored store 'totals': 250000 records in 2.5 s (100000 records/s)");
	}

	@Test
	void partitionsRestoredMinutesApartCountOnlyTheTimeTheyWereRestoring(CapturedOutput output) {
		this.tracker.onRestoreStart(P0, "totals", 0, 1000);
		advance(Duration.ofMillis(100));
		this.tracker.onRestoreEnd(P0, "totals", 1000);
		// A rebalance five minutes later brings another partition here.
		advance(Duration.ofMinutes(5));
		this.tracker.onRestoreStart(P1, "totals", 0, 37);
		advance(Duration.ofMillis(18));
		this.tracker.onRestoreEnd(P1, "totals", 37);
		assertThat(output).contains("restored store 'totals': 1000 records in 100 ms")
			.contains("restored store 'totals': 37 records in 18 ms");
		StoreRestoration restoration = this.tracker.restorations().get(0);
		assertThat(restoration.restoredRecords()).isEqualTo(1037);
		assertThat(restoration.recordsPerSecond()).isCloseTo(1037 / 0.118, within(1e-6));
	}

	@Test
	void overlappingPartitionsCountTheirTimeOnce() {
		this.tracker.onRestoreStart(P0, "totals", 0, 600);
		advance(Duration.ofMillis(100));
		this.tracker.onRestoreStart(P1, "totals", 0, 600);
		advance(Duration.ofMillis(100));
		this.tracker.onRestoreEnd(P0, "totals", 600);
		advance(Duration.ofMillis(100));
		this.tracker.onRestoreEnd(P1, "totals", 600);
		assertThat(this.tracker.restorations().get(0).recordsPerSecond()).isCloseTo(1200 / 0.3, within(1e-6));
	}

	@Test
	void aRestoreWithNothingToRestoreLogsNothing(CapturedOutput output) {
		this.tracker.onRestoreStart(P0, "totals", 5, 5);
		advance(Duration.ofMillis(50));
		this.tracker.onRestoreEnd(P0, "totals", 0);
		assertThat(output).doesNotContain("store 'totals'");
		assertThat(this.tracker.isRestoring()).isFalse();
	}

	@Test
	void aFinishedRestoreOfATransactionalChangelogIsComplete() {
		// Under exactly-once, 380 offsets hold 253 records: the rest are commit markers.
		this.tracker.onRestoreStart(P0, "totals", 0, 380);
		advance(Duration.ofMillis(40));
		this.tracker.onBatchRestored(P0, "totals", 380, 253);
		this.tracker.onRestoreEnd(P0, "totals", 253);
		StoreRestoration restoration = this.tracker.restorations().get(0);
		assertThat(restoration.restoring()).isFalse();
		assertThat(restoration.percent()).isEqualTo(100.0);
		assertThat(restoration.remainingRecords()).isZero();
		assertThat(restoration.totalRecords()).isEqualTo(253);
	}

	@Test
	void aCheckpointPastTheChangelogsEndCountsNothingToRestore(CapturedOutput output) {
		this.tracker.onRestoreStart(P0, "totals", 500, 300);
		assertThat(this.tracker.restorations().get(0).totalRecords()).isZero();
		assertThat(output).doesNotContain("-200");
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}
