package dev.tributary.runtime;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule behind {@link ManagedProcessor#isFailed()} for a processor that should run.
 */
class ProcessorFailureRuleTests {

	@ParameterizedTest
	@EnumSource(value = State.class, names = { "ERROR", "PENDING_ERROR", "NOT_RUNNING", "PENDING_SHUTDOWN" })
	void aProcessorThatStoppedByItselfHasFailed(State state) {
		assertThat(ManagedProcessor.failed(state, false, true, 0)).isTrue();
	}

	@ParameterizedTest
	@EnumSource(value = State.class, names = { "CREATED", "REBALANCING", "RUNNING" })
	void startingRebalancingAndRunningWithALiveThreadHaveNotFailed(State state) {
		assertThat(ManagedProcessor.failed(state, false, true, 1)).isFalse();
	}

	@Test
	void runningWithNoLiveStreamThreadHasFailed() {
		// Kafka Streams leaves dead threads out of its metadata: zero threads is not "fine".
		assertThat(ManagedProcessor.failed(State.RUNNING, false, true, 0)).isTrue();
		assertThat(ManagedProcessor.failed(State.REBALANCING, false, true, 0)).isTrue();
	}

	@Test
	void aTopologyOfGlobalStoresOnlyNeedsNoStreamThread() {
		assertThat(ManagedProcessor.failed(State.RUNNING, false, false, 0)).isFalse();
	}

	@Test
	void aCrashLoopHasFailedWhateverTheState() {
		assertThat(ManagedProcessor.failed(State.RUNNING, true, true, 1)).isTrue();
	}

}
