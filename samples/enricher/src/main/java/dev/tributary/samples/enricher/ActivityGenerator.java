package dev.tributary.samples.enricher;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Plays three cloud apps sending their audit events to {@code cloud-activity}, each in its
 * own format, keyed by the app's name. Switch it off with
 * {@code enricher.generator.enabled=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "enricher.generator.enabled", matchIfMissing = true)
class ActivityGenerator {

	private static final String[] NAMED = { "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi" };

	/** Each user's events are enriched in order, so many users give many calls in flight. */
	private static final int USERS = 400;

	private final KafkaTemplate<String, String> template;

	ActivityGenerator(KafkaTemplate<String, String> template) {
		this.template = template;
	}

	@Scheduled(fixedRateString = "${enricher.generator.interval:100ms}")
	void sendEvents() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < 10; i++) {
			int index = random.nextInt(USERS);
			String user = ((index < NAMED.length) ? NAMED[index] : String.format("user%03d", index)) + "@acme.example";
			String ip = "203.0." + random.nextInt(4) + "." + random.nextInt(1, 255);
			Instant now = Instant.now();
			switch (random.nextInt(3)) {
				case 0 -> this.template.send("cloud-activity", "m365", m365(user, ip, now));
				case 1 -> this.template.send("cloud-activity", "workspace", workspace(user, ip, now));
				default -> this.template.send("cloud-activity", "slack", slack(user, ip, now));
			}
		}
	}

	static String m365(String user, String ip, Instant time) {
		return """
				{"CreationTime":"%s","Operation":"FileDownloaded","UserId":"%s","ClientIP":"%s","Workload":"SharePoint"}"""
			.formatted(time, user, ip);
	}

	static String workspace(String user, String ip, Instant time) {
		return """
				{"id":{"time":"%s","applicationName":"login"},"actor":{"email":"%s"},"ipAddress":"%s","events":[{"name":"login_success"}]}"""
			.formatted(time, user, ip);
	}

	static String slack(String user, String ip, Instant time) {
		return """
				{"date_create":%d,"action":"user_login","actor":{"type":"user","user":{"email":"%s"}},"context":{"ip_address":"%s"}}"""
			.formatted(time.getEpochSecond(), user, ip);
	}

}
