package dev.tributary.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the dashboard shows a dead letter's bytes: text when they are UTF-8, else base64,
 * always bounded.
 */
class PayloadTests {

	@Test
	void utf8IsShownAsText() {
		DeadLetterBrowser.Payload payload = DeadLetterBrowser.Payload.of(bytes("un café"), 100);
		assertThat(payload.text()).isEqualTo("un café");
		assertThat(payload.base64()).isNull();
		assertThat(payload.size()).isEqualTo(8);
		assertThat(payload.truncated()).isFalse();
	}

	@Test
	void otherBytesAreShownAsBase64() {
		byte[] latin1 = "un café".getBytes(StandardCharsets.ISO_8859_1);
		DeadLetterBrowser.Payload payload = DeadLetterBrowser.Payload.of(latin1, 100);
		assertThat(payload.text()).isNull();
		assertThat(payload.base64()).isEqualTo(Base64.getEncoder().encodeToString(latin1));
	}

	@Test
	void aLongValueIsCutWithoutSplittingACharacterIntoGarbage() {
		// "é" is two bytes: a cut after its first byte drops it rather than showing base64.
		DeadLetterBrowser.Payload payload = DeadLetterBrowser.Payload.of(bytes("abcé"), 4);
		assertThat(payload.text()).isEqualTo("abc");
		assertThat(payload.size()).isEqualTo(5);
		assertThat(payload.truncated()).isTrue();
	}

	@Test
	void noBytesAreNoPayload() {
		assertThat(DeadLetterBrowser.Payload.of(null, 10)).isNull();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
