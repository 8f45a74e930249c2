package dev.tributary.samples.enricher;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Each app's event format comes out as the one {@link Activity} schema.
 */
class NormalizerTests {

	private static final Instant TIME = Instant.parse("2026-11-23T10:15:30Z");

	@Test
	void normalizesEveryAppsFormat() {
		assertThat(Normalizer.normalize("m365", ActivityGenerator.m365("alice@acme.example", "203.0.1.7", TIME)))
			.isEqualTo(new Activity("alice@acme.example", "m365", "FileDownloaded", "203.0.1.7", TIME.toEpochMilli()));
		assertThat(Normalizer.normalize("workspace",
				ActivityGenerator.workspace("bob@acme.example", "203.0.2.9", TIME)))
			.isEqualTo(new Activity("bob@acme.example", "workspace", "login_success", "203.0.2.9", TIME.toEpochMilli()));
		assertThat(Normalizer.normalize("slack", ActivityGenerator.slack("carol@acme.example", "203.0.3.1", TIME)))
			.isEqualTo(new Activity("carol@acme.example", "slack", "user_login", "203.0.3.1", TIME.toEpochMilli()));
	}

	@Test
	void anIncompleteEventOrAnUnknownAppIsRefusedNamingWhatIsMissing() {
		assertThatIllegalArgumentException().isThrownBy(() -> Normalizer.normalize("m365", "{\"Operation\":\"x\"}"))
			.withMessageContaining("UserId");
		assertThatIllegalArgumentException().isThrownBy(() -> Normalizer.normalize("dropbox", "{}"))
			.withMessageContaining("Unknown app 'dropbox'");
	}

}
