package dev.tributary.query.peer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PeerSignerTests {

	private static final String SECRET = "0123456789abcdef-shared";

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final PeerSigner signer = new PeerSigner(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

	private final byte[] body = "{\"processor\":\"words\"}".getBytes(StandardCharsets.UTF_8);

	private final long timestamp = NOW.getEpochSecond();

	@Test
	void acceptsARequestSignedWithTheSameSecret() {
		String signature = new PeerSigner(SECRET).signRequest("POST", "/actuator/tributary-peer", this.timestamp,
				this.body);
		assertThat(this.signer.requestProblem("POST", "/actuator/tributary-peer", Long.toString(this.timestamp),
				signature, this.body))
			.isNull();
	}

	@Test
	void rejectsARequestSignedWithAnotherSecret() {
		String signature = new PeerSigner("another-secret-of-16").signRequest("POST", "/actuator/tributary-peer",
				this.timestamp, this.body);
		assertThat(this.signer.requestProblem("POST", "/actuator/tributary-peer", Long.toString(this.timestamp),
				signature, this.body))
			.isEqualTo("the signature does not match");
	}

	@Test
	void theSignatureCoversMethodPathTimestampAndBody() {
		String signature = this.signer.signRequest("POST", "/p", this.timestamp, this.body);
		String time = Long.toString(this.timestamp);
		assertThat(this.signer.requestProblem("GET", "/p", time, signature, this.body)).isNotNull();
		assertThat(this.signer.requestProblem("POST", "/q", time, signature, this.body)).isNotNull();
		assertThat(this.signer.requestProblem("POST", "/p", Long.toString(this.timestamp - 1), signature, this.body))
			.isNotNull();
		assertThat(this.signer.requestProblem("POST", "/p", time, signature, "{}".getBytes(StandardCharsets.UTF_8)))
			.isNotNull();
		assertThat(this.signer.requestProblem("POST", "/p", time, signature, this.body)).isNull();
	}

	@Test
	void rejectsMissingGarbledOrStaleTimestampsAndMissingOrGarbledSignatures() {
		String signature = this.signer.signRequest("POST", "/p", this.timestamp, this.body);
		assertThat(this.signer.requestProblem("POST", "/p", null, signature, this.body)).contains("no X-Tributary-Peer-Timestamp");
		assertThat(this.signer.requestProblem("POST", "/p", "soon", signature, this.body)).contains("not a number");
		assertThat(this.signer.requestProblem("POST", "/p", Long.toString(this.timestamp), null, this.body))
			.contains("no X-Tributary-Peer-Signature");
		assertThat(this.signer.requestProblem("POST", "/p", Long.toString(this.timestamp), "%%%not base64", this.body))
			.isEqualTo("the signature does not match");
		assertThat(this.signer.requestProblem("POST", "/p", Long.toString(this.timestamp), "", this.body))
			.isEqualTo("the signature does not match");
		// Properly signed, but too old or too far ahead.
		for (long skew : new long[] { -61, 61 }) {
			long time = this.timestamp + skew;
			String late = this.signer.signRequest("POST", "/p", time, this.body);
			assertThat(this.signer.requestProblem("POST", "/p", Long.toString(time), late, this.body))
				.contains("61 s away").contains("at most 60 s");
		}
		for (long skew : new long[] { -60, 60 }) {
			long time = this.timestamp + skew;
			String fine = this.signer.signRequest("POST", "/p", time, this.body);
			assertThat(this.signer.requestProblem("POST", "/p", Long.toString(time), fine, this.body)).isNull();
		}
	}

	@Test
	void anAnswerIsBoundToItsRequestStatusAndBody() {
		String request = this.signer.signRequest("POST", "/p", this.timestamp, this.body);
		String other = this.signer.signRequest("POST", "/p", this.timestamp, "{}".getBytes(StandardCharsets.UTF_8));
		byte[] answer = "{\"value\":3}".getBytes(StandardCharsets.UTF_8);
		String signature = this.signer.signResponse(request, 200, answer);
		assertThat(this.signer.isAuthenticResponse(request, 200, answer, signature)).isTrue();
		assertThat(this.signer.isAuthenticResponse(other, 200, answer, signature)).isFalse();
		assertThat(this.signer.isAuthenticResponse(request, 404, answer, signature)).isFalse();
		assertThat(this.signer.isAuthenticResponse(request, 200, "{\"value\":4}".getBytes(StandardCharsets.UTF_8),
				signature))
			.isFalse();
		assertThat(this.signer.isAuthenticResponse(request, 200, answer, null)).isFalse();
		assertThat(new PeerSigner("another-secret-of-16").isAuthenticResponse(request, 200, answer, signature))
			.isFalse();
	}

	@Test
	void requestAndResponseSignaturesDiffer() {
		// An answer's signature can never pass as a request's, or the other way round.
		String request = this.signer.signRequest("POST", "/p", this.timestamp, this.body);
		assertThat(this.signer.signResponse(request, 200, this.body)).isNotEqualTo(request);
	}

	@Test
	void refusesShortSecrets() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PeerSigner("too-short"))
			.withMessageContaining("9 characters")
			.withMessageContaining("at least 16");
	}

}
