package dev.tributary.query;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.FailureReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalStoresTests {

	@Test
	void aStoreClosedUnderTheQueryIsUnavailableOtherStoreFailuresAreFailures() {
		QueryException migrating = LocalStores.failure("counts", org.apache.kafka.streams.query.QueryResult.forFailure(
				FailureReason.STORE_EXCEPTION, InvalidStateStoreException.class.getName() + ": closed\n\tat x"));
		assertThat(migrating.getReason()).isEqualTo(QueryException.Reason.UNAVAILABLE);
		QueryException broken = LocalStores.failure("counts", org.apache.kafka.streams.query.QueryResult
			.forFailure(FailureReason.STORE_EXCEPTION, "java.lang.RuntimeException: disk\n\tat x"));
		assertThat(broken.getReason()).isEqualTo(QueryException.Reason.FAILED);
		assertThat(LocalStores.failure("counts",
				org.apache.kafka.streams.query.QueryResult.forFailure(FailureReason.NOT_ACTIVE, "standby"))
			.getReason()).isEqualTo(QueryException.Reason.UNAVAILABLE);
	}

}
