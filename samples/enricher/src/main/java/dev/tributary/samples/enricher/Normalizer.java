package dev.tributary.samples.enricher;

import java.time.Instant;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns each cloud app's own event format into an {@link Activity}. Plain, CPU-bound code
 * that runs in an ordinary {@code mapValues}; an event it cannot read throws, and goes to
 * the dead-letter topic.
 */
final class Normalizer {

	private static final JsonMapper json = JsonMapper.builder().build();

	private Normalizer() {
	}

	/**
	 * Normalizes one event.
	 * @param app the app that sent it: the record key of the raw topic
	 * @param event the event, in that app's JSON format
	 * @return the activity
	 * @throws IllegalArgumentException if the app is unknown or the event incomplete
	 */
	static Activity normalize(String app, String event) {
		JsonNode node = json.readTree(event);
		return switch (String.valueOf(app)) {
			// Microsoft 365 unified audit log
			case "m365" -> new Activity(text(node, "UserId"), "m365", text(node, "Operation"), text(node, "ClientIP"),
					Instant.parse(text(node, "CreationTime")).toEpochMilli());
			// Google Workspace admin reports
			case "workspace" -> new Activity(text(node.path("actor"), "email"), "workspace",
					text(node.path("events").path(0), "name"), text(node, "ipAddress"),
					Instant.parse(text(node.path("id"), "time")).toEpochMilli());
			// Slack audit logs
			case "slack" -> new Activity(text(node.path("actor").path("user"), "email"), "slack", text(node, "action"),
					text(node.path("context"), "ip_address"), node.path("date_create").asLong() * 1000);
			default -> throw new IllegalArgumentException("Unknown app '" + app + "'; expected m365, workspace or slack");
		};
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull() || value.asString().isBlank()) {
			throw new IllegalArgumentException("Event has no '" + field + "': " + node);
		}
		return value.asString();
	}

}
