package dev.tributary.query;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AttemptsTests {

	@Test
	void anUnavailablePeerIsAskedAFewTimesNotEveryHundredMillisecondsForTheWholeTimeout() {
		AtomicInteger calls = new AtomicInteger();
		long began = System.nanoTime();
		assertThatExceptionOfType(QueryException.class).isThrownBy(() -> Attempts.run(Duration.ofSeconds(3), () -> {
			calls.incrementAndGet();
			throw QueryException.unavailable("peer unreachable");
		})).satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(QueryException.Reason.UNAVAILABLE));
		assertThat(calls).hasValue(Attempts.MAX_ATTEMPTS);
		// 50 + 100 + 200 + 400 + 3 x 500 ms of pauses: 8 calls, not the 30 of the old 100 ms
		// loop, and within the deadline.
		assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(3500));
	}

	@Test
	void noPauseEndsAfterTheDeadline() {
		AtomicInteger calls = new AtomicInteger();
		assertThatExceptionOfType(QueryException.class).isThrownBy(() -> Attempts.run(Duration.ofMillis(120), () -> {
			calls.incrementAndGet();
			throw QueryException.unavailable("rebalancing");
		}));
		// 50 ms, then 100 ms would end after 120 ms: two attempts.
		assertThat(calls).hasValue(2);
	}

	@Test
	void permanentFailuresAreAnsweredAtOnce() {
		for (QueryException permanent : new QueryException[] { QueryException.badRequest("bad"),
				QueryException.notFound("absent"), new QueryException(QueryException.Reason.BAD_PEER_ANSWER, "garbage"),
				new QueryException(QueryException.Reason.FAILED, "broken") }) {
			AtomicInteger calls = new AtomicInteger();
			assertThatExceptionOfType(QueryException.class).isThrownBy(() -> Attempts.run(Duration.ofSeconds(3), () -> {
				calls.incrementAndGet();
				throw permanent;
			})).isSameAs(permanent);
			assertThat(calls).hasValue(1);
		}
	}

	@Test
	void aLaterAttemptThatSucceedsIsTheAnswer() {
		AtomicInteger calls = new AtomicInteger();
		assertThat(Attempts.run(Duration.ofSeconds(3), () -> {
			if (calls.incrementAndGet() < 3) {
				throw QueryException.unavailable("rebalancing");
			}
			return "answer";
		})).isEqualTo("answer");
	}

}
