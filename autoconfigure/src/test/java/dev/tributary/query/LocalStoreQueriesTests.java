package dev.tributary.query;

import java.util.Set;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of a local query leave a partition out of the answer, and which status
 * the others fail the query with.
 */
class LocalStoreQueriesTests {

	private static final QueryResult<Object> NOT_ACTIVE = QueryResult.forFailure(FailureReason.NOT_ACTIVE,
			"Query requires a running active task, but partition was in state PARTITIONS_ASSIGNED and was active.");

	@Test
	void leavesOutStandbyPartitionsOfAnAllPartitionsQueryOnly() {
		assertThat(LocalStoreQueries.isStandby(NOT_ACTIVE, 1, null, true, Set.of(1))).isTrue();
		// Active here, but its thread is not running (a rebalance): not part of the answer
		// would mean an incomplete answer.
		assertThat(LocalStoreQueries.isStandby(NOT_ACTIVE, 0, null, true, Set.of(1))).isFalse();
		assertThat(LocalStoreQueries.isStandby(NOT_ACTIVE, 1, 1, true, Set.of(1))).isFalse();
		assertThat(LocalStoreQueries.isStandby(NOT_ACTIVE, 1, null, false, Set.of(1))).isFalse();
		assertThat(LocalStoreQueries.isStandby(QueryResult.forFailure(FailureReason.NOT_PRESENT, "gone"), 1, null,
				true, Set.of(1)))
			.isFalse();
	}

	@Test
	void aStoreClosedUnderTheQueryIsUnavailableOtherStoreFailuresAreErrors() {
		String closed = "class org.apache.kafka.streams.state.internals.MeteredTimestampedKeyValueStore failed to "
				+ "handle query KeyQuery{key=a}:\n" + InvalidStateStoreException.class.getName()
				+ ": Store counts is currently closed.\n\tat org.apache.kafka.streams.state.internals.RocksDBStore"
				+ ".validateStoreOpen(RocksDBStore.java:364)\n";
		QueryException migrating = LocalStoreQueries.failure("counts",
				QueryResult.forFailure(FailureReason.STORE_EXCEPTION, closed));
		assertThat(migrating.getStatus()).isEqualTo(503);
		assertThat(migrating.getMessage()).contains("is currently closed").doesNotContain("validateStoreOpen");
		QueryException broken = LocalStoreQueries.failure("counts", QueryResult.forFailure(
				FailureReason.STORE_EXCEPTION, "class X failed to handle query Y:\njava.lang.ClassCastException: no"));
		assertThat(broken.getStatus()).isEqualTo(500);
		assertThat(LocalStoreQueries.failure("counts", NOT_ACTIVE).getStatus()).isEqualTo(503);
	}

}
