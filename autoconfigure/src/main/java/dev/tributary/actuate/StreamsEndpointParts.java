package dev.tributary.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.tributary.dashboard.DeadLetterBrowser;
import dev.tributary.dashboard.GroupLag;
import dev.tributary.errors.DeadLetterHeaders;
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

	/** What is shown in place of a dead letter's contents to those who may not see them. */
	static final String MASK = "******";

	/**
	 * Headers that say where and how a record failed, never what it held: shown to
	 * everyone who may read the endpoint. The exception's message and stack trace, the
	 * key, the value and the record's own headers may hold its data.
	 */
	private static final Set<String> METADATA_HEADERS = Set.of(DeadLetterHeaders.EXCEPTION, DeadLetterHeaders.TOPIC,
			DeadLetterHeaders.PARTITION, DeadLetterHeaders.OFFSET, DeadLetterHeaders.TIMESTAMP,
			DeadLetterHeaders.PROCESSOR, DeadLetterHeaders.NODE, DeadLetterHeaders.TASK, DeadLetterHeaders.OUTPUT_TOPIC,
			DeadLetterHeaders.ASYNC_STEP, DeadLetterHeaders.KIND);

	static Map<String, Object> deadLetters(String processor, DeadLetterBrowser.Report report, boolean showValues) {
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
		json.put("valuesShown", showValues);
		json.put("latest", report.latest().stream().map((letter) -> deadLetter(letter, showValues)).toList());
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

	private static Map<String, Object> deadLetter(DeadLetterBrowser.DeadLetter letter, boolean showValues) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("topic", letter.topic());
		json.put("partition", letter.partition());
		json.put("offset", letter.offset());
		json.put("timestamp", letter.timestamp());
		json.put("kind", letter.kind());
		json.put("key", showValues ? payload(letter.key()) : masked(letter.key()));
		json.put("value", showValues ? payload(letter.value()) : masked(letter.value()));
		Map<String, Object> headers = new LinkedHashMap<>();
		letter.headers()
			.forEach((name, value) -> headers.put(name,
					(showValues || METADATA_HEADERS.contains(name)) ? payload(value) : masked(value)));
		json.put("headers", headers);
		return json;
	}

	private static @Nullable Map<String, Object> masked(DeadLetterBrowser.@Nullable Payload payload) {
		if (payload == null) {
			return null;
		}
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("text", MASK);
		json.put("size", payload.size());
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
