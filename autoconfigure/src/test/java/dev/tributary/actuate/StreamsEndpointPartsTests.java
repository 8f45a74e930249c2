package dev.tributary.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.dashboard.DeadLetterBrowser;
import dev.tributary.errors.DeadLetterHeaders;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code dead-letters} part shows what a record held only to those who may see it.
 */
class StreamsEndpointPartsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void hidesKeysValuesMessagesAndTheRecordsOwnHeadersButNotWhereItFailed() {
		String body = json.writeValueAsString(StreamsEndpointParts.deadLetters("orders", report(), false));
		assertThat(JsonPath.<Boolean>read(body, "$.valuesShown")).isFalse();
		assertThat(JsonPath.<String>read(body, "$.latest[0].key.text")).isEqualTo(StreamsEndpointParts.MASK);
		assertThat(JsonPath.<Integer>read(body, "$.latest[0].key.size")).isEqualTo(10);
		assertThat(JsonPath.<String>read(body, "$.latest[0].value.text")).isEqualTo(StreamsEndpointParts.MASK);
		assertThat(JsonPath.<String>read(body, "$.latest[0].headers['" + DeadLetterHeaders.MESSAGE + "'].text"))
			.isEqualTo(StreamsEndpointParts.MASK);
		assertThat(JsonPath.<String>read(body, "$.latest[0].headers['" + DeadLetterHeaders.STACKTRACE + "'].text"))
			.isEqualTo(StreamsEndpointParts.MASK);
		assertThat(JsonPath.<String>read(body, "$.latest[0].headers['card'].text")).isEqualTo(StreamsEndpointParts.MASK);
		assertThat(JsonPath.<String>read(body, "$.latest[0].headers['" + DeadLetterHeaders.EXCEPTION + "'].text"))
			.isEqualTo("java.lang.IllegalStateException");
		assertThat(JsonPath.<String>read(body, "$.latest[0].headers['" + DeadLetterHeaders.TOPIC + "'].text"))
			.isEqualTo("payments");
		assertThat(body).doesNotContain("4111", "secret-key", "AAEC");
	}

	@Test
	void showsEverythingToThoseWhoMaySeeIt() {
		String body = json.writeValueAsString(StreamsEndpointParts.deadLetters("orders", report(), true));
		assertThat(JsonPath.<Boolean>read(body, "$.valuesShown")).isTrue();
		assertThat(JsonPath.<String>read(body, "$.latest[0].key.text")).isEqualTo("secret-key");
		assertThat(JsonPath.<String>read(body, "$.latest[0].value.base64")).isNotEmpty();
		assertThat(JsonPath.<String>read(body, "$.latest[0].headers['" + DeadLetterHeaders.MESSAGE + "'].text"))
			.isEqualTo("card 4111 declined");
	}

	@Test
	void exceptionsShowTheirClassesButNotTheirMessagesToThoseWhoMayNotSeeValues() {
		IllegalStateException exception = new IllegalStateException("card 4111 declined",
				new java.io.IOException("4111"));
		assertThat(ProcessorDetails.error(exception, false)).isEqualTo(
				"java.lang.IllegalStateException: ******; caused by java.io.IOException: ******");
		assertThat(ProcessorDetails.error(exception, true)).isEqualTo(
				"java.lang.IllegalStateException: card 4111 declined; caused by java.io.IOException: 4111");
	}

	private static DeadLetterBrowser.Report report() {
		Map<String, DeadLetterBrowser.Payload> headers = new LinkedHashMap<>();
		headers.put(DeadLetterHeaders.EXCEPTION, text("java.lang.IllegalStateException"));
		headers.put(DeadLetterHeaders.MESSAGE, text("card 4111 declined"));
		headers.put(DeadLetterHeaders.STACKTRACE, text("java.lang.IllegalStateException: card 4111 declined"));
		headers.put(DeadLetterHeaders.TOPIC, text("payments"));
		headers.put("card", text("4111"));
		DeadLetterBrowser.DeadLetter letter = new DeadLetterBrowser.DeadLetter("payments-dlt", 0, 7, 1_000,
				"processing", text("secret-key"), new DeadLetterBrowser.Payload(null, "AAEC", 3, false), headers);
		return new DeadLetterBrowser.Report(Instant.EPOCH, List.of(), List.of(letter), Map.of("processing", 1L),
				Map.of(), null);
	}

	private static DeadLetterBrowser.Payload text(String text) {
		return new DeadLetterBrowser.Payload(text, null, text.length(), false);
	}

}
