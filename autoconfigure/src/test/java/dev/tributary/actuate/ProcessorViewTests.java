package dev.tributary.actuate;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessorViewTests {

	@Test
	void runningWithoutRestorationIsReadyAndAlive() {
		ProcessorView view = new ProcessorView("p", true, State.RUNNING, false, 2, 2);
		assertThat(view.ready(false)).isTrue();
		assertThat(view.alive()).isTrue();
	}

	@Test
	void restoringIsAliveButNotReady() {
		ProcessorView view = new ProcessorView("p", true, State.RUNNING, true, 1, 1);
		assertThat(view.ready(false)).isFalse();
		assertThat(view.alive()).isTrue();
		assertThat(view.describe()).isEqualTo("p (RUNNING, restoring)");
	}

	@ParameterizedTest
	@EnumSource(value = State.class, names = { "CREATED", "REBALANCING" })
	void startingAndRebalancingAreAliveButNotReady(State state) {
		ProcessorView view = new ProcessorView("p", true, state, false, 1, 1);
		assertThat(view.ready(false)).isFalse();
		assertThat(view.alive()).isTrue();
	}

	@ParameterizedTest
	@EnumSource(value = State.class, names = { "ERROR", "PENDING_ERROR", "NOT_RUNNING", "PENDING_SHUTDOWN" })
	void aStartedProcessorThatStoppedByItselfIsDead(State state) {
		ProcessorView view = new ProcessorView("p", true, state, false, 0, 0);
		assertThat(view.alive()).isFalse();
		assertThat(view.ready(false)).isFalse();
	}

	@Test
	void aRunningProcessorWhoseThreadsAllDiedIsDead() {
		assertThat(new ProcessorView("p", true, State.RUNNING, false, 2, 0).alive()).isFalse();
		assertThat(new ProcessorView("p", true, State.REBALANCING, false, 2, 1).alive()).isTrue();
	}

	@ParameterizedTest
	@EnumSource(State.class)
	void aProcessorStoppedOnPurposeIsAliveAndReadyUnlessConfigured(State state) {
		ProcessorView view = new ProcessorView("p", false, state, false, 0, 0);
		assertThat(view.alive()).isTrue();
		assertThat(view.ready(false)).isTrue();
		assertThat(view.ready(true)).isFalse();
	}

}
