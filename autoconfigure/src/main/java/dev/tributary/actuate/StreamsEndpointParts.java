package dev.tributary.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tributary.dashboard.DeadLetterBrowser;
import dev.tributary.dashboard.GroupLag;
import dev.tributary.errors.ErrorHandling;
import dev.tributary.errors.ErrorKind;
import org.jspecify.annotations.Nullable;

/**
 * Renders the parts of a processor that {@code GET /actuator/streams/{name}/{part}}
 * serves, which ask Kafka and so are not in the processor's detail: the group's lag
 * ({@code lag}) and the dead letters ({@code dead-letters}).
 */
final class StreamsEndpointParts {

	private StreamsEndpointParts() {
	}

	static Map<String, Object> lag(String processor, GroupLag.Report report) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", processor);
		json.put("group", report.group());
		json.put("sampledAt", report.sampledAt().toString());
		json.put("totalLag", report.totalLag());
		List<Map<String, Object>> partitions = new ArrayList<>();
		for (GroupLag.PartitionLag lag : report.partitions()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("topic", lag.topic());
			entry.put("partition", lag.partition());
			entry.put("committedOffset", lag.committedOffset());
			entry.put("endOffset", lag.endOffset());
			entry.put("lag", lag.lag());
			entry.put("owner", lag.owner());
			partitions.add(entry);
		}
		json.put("partitions", partitions);
		List<Map<String, Object>> history = new ArrayList<>();
		for (GroupLag.Sample sample : report.history()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("at", sample.at().toEpochMilli());
			entry.put("totalLag", sample.totalLag());
			entry.put("partitions", sample.partitions());
			history.add(entry);
		}
		json.put("history", history);
		putError(json, report.error());
		return json;
	}

	static Map<String, Object> deadLetters(String processor, DeadLetterBrowser.Report report) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", processor);
		json.put("readAt", report.readAt().toString());
		json.put("topics", report.topics().stream().map((topic) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("topic", topic.topic());
			entry.put("partitions", topic.partitions());
			entry.put("records", topic.records());
			return entry;
		}).toList());
		json.put("handledHere", handled(report.handledHere()));
		json.put("latestByKind", report.latestByKind());
		json.put("latest", report.latest().stream().map(StreamsEndpointParts::deadLetter).toList());
		putError(json, report.error());
		return json;
	}

	/**
	 * By kind, then by what was done: {@code {"processing": {"dead-letter": 3, ...}}}.
	 */
	private static Map<String, Object> handled(Map<ErrorKind, Map<ErrorHandling, Long>> counts) {
		Map<String, Object> json = new LinkedHashMap<>();
		counts.forEach((kind, byHandling) -> {
			Map<String, Long> entry = new LinkedHashMap<>();
			byHandling.forEach((handling, count) -> entry.put(dashed(handling), count));
			json.put(kind.tag(), entry);
		});
		return json;
	}

	private static Map<String, Object> deadLetter(DeadLetterBrowser.DeadLetter letter) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("topic", letter.topic());
		json.put("partition", letter.partition());
		json.put("offset", letter.offset());
		json.put("timestamp", letter.timestamp());
		json.put("kind", letter.kind());
		json.put("key", payload(letter.key()));
		json.put("value", payload(letter.value()));
		Map<String, Object> headers = new LinkedHashMap<>();
		letter.headers().forEach((name, value) -> headers.put(name, payload(value)));
		json.put("headers", headers);
		return json;
	}

	private static @Nullable Map<String, Object> payload(DeadLetterBrowser.@Nullable Payload payload) {
		if (payload == null) {
			return null;
		}
		Map<String, Object> json = new LinkedHashMap<>();
		if (payload.text() != null) {
			json.put("text", payload.text());
		}
		else {
			json.put("base64", payload.base64());
		}
		json.put("size", payload.size());
		if (payload.truncated()) {
			json.put("truncated", true);
		}
		return json;
	}

	private static void putError(Map<String, Object> json, @Nullable String error) {
		if (error != null) {
			json.put("error", error);
		}
	}

	private static String dashed(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
