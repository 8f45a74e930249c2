package dev.tributary.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ThreadReplacementsTests {

	private final AtomicLong now = new AtomicLong();

	private final ThreadReplacements replacements = new ThreadReplacements(
			new CrashLoopLimit(2, Duration.ofMinutes(1)), this.now::get);

	@Test
	void allowsTheConfiguredReplacementsThenReportsACrashLoop() {
		assertThat(this.replacements.tryReplace()).isTrue();
		assertThat(this.replacements.tryReplace()).isTrue();
		assertThat(this.replacements.crashLoop()).isNull();
		assertThat(this.replacements.tryReplace()).isFalse();
		assertThat(this.replacements.total()).isEqualTo(2);
		assertThat(this.replacements.crashLoop()).contains("3 times within PT1M").contains("limit is 2");
	}

	@Test
	void replacementsOlderThanTheWindowNoLongerCount() {
		assertThat(this.replacements.tryReplace()).isTrue();
		this.now.addAndGet(Duration.ofSeconds(40).toNanos());
		assertThat(this.replacements.tryReplace()).isTrue();
		this.now.addAndGet(Duration.ofSeconds(30).toNanos());
		// The first is 70s old: out of the window.
		assertThat(this.replacements.tryReplace()).isTrue();
		assertThat(this.replacements.tryReplace()).isFalse();
		assertThat(this.replacements.total()).isEqualTo(3);
	}

	@Test
	void aResetStartsCountingAfresh() {
		this.replacements.tryReplace();
		this.replacements.tryReplace();
		this.replacements.tryReplace();
		this.replacements.reset();
		assertThat(this.replacements.crashLoop()).isNull();
		assertThat(this.replacements.total()).isZero();
		assertThat(this.replacements.tryReplace()).isTrue();
	}

	@Test
	void zeroReplacementsShutsDownAtTheFirstDeath() {
		ThreadReplacements none = new ThreadReplacements(new CrashLoopLimit(0, Duration.ofMinutes(1)), this.now::get);
		assertThat(none.tryReplace()).isFalse();
	}

	@Test
	void rejectsANegativeLimitOrAnEmptyWindow() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CrashLoopLimit(-1, Duration.ofMinutes(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new CrashLoopLimit(1, Duration.ZERO));
	}

}
