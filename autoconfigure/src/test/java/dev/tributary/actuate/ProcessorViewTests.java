package dev.tributary.actuate;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessorViewTests {

	@Test
	void runningWithoutRestorationIsReadyAndAlive() {
		ProcessorView view = new ProcessorView("p", true, State.RUNNING, false, false, null);
		assertThat(view.ready(false)).isTrue();
		assertThat(view.alive()).isTrue();
	}

	@Test
	void restoringIsAliveButNotReady() {
		ProcessorView view = new ProcessorView("p", true, State.RUNNING, true, false, null);
		assertThat(view.ready(false)).isFalse();
		assertThat(view.alive()).isTrue();
		assertThat(view.describe()).isEqualTo("p (RUNNING, restoring)");
	}

	@ParameterizedTest
	@EnumSource(value = State.class, names = { "CREATED", "REBALANCING" })
	void startingAndRebalancingAreAliveButNotReady(State state) {
		ProcessorView view = new ProcessorView("p", true, state, false, false, null);
		assertThat(view.ready(false)).isFalse();
		assertThat(view.alive()).isTrue();
	}

	@Test
	void aFailedProcessorIsNeitherAliveNorReady() {
		ProcessorView view = new ProcessorView("p", true, State.RUNNING, false, true, null);
		assertThat(view.alive()).isFalse();
		assertThat(view.ready(false)).isFalse();
		assertThat(view.describe()).isEqualTo("p (RUNNING, no live stream thread)");
	}

	@Test
	void aCrashLoopIsNamedInTheDescription() {
		ProcessorView view = new ProcessorView("p", true, State.ERROR, false, true, "stream threads died 3 times");
		assertThat(view.alive()).isFalse();
		assertThat(view.describe()).isEqualTo("p (ERROR, crash loop: stream threads died 3 times)");
	}

	@ParameterizedTest
	@EnumSource(State.class)
	void aProcessorStoppedOnPurposeIsAliveAndReadyUnlessConfigured(State state) {
		ProcessorView view = new ProcessorView("p", false, state, false, false, null);
		assertThat(view.alive()).isTrue();
		assertThat(view.ready(false)).isTrue();
		assertThat(view.ready(true)).isFalse();
	}

}
