package dev.tributary.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.tributary.async.AsyncStepStats;
import dev.tributary.async.AsyncSteps;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.StoreRestoration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TopologyDescription;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * Renders a processor as the JSON-friendly maps that health and the {@code streams}
 * endpoint show. Reads only in-memory state; never calls Kafka.
 */
final class ProcessorDetails {

	private ProcessorDetails() {
	}

	static Map<String, Object> summary(ManagedProcessor processor) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("name", processor.name());
		summary.put("applicationId", processor.applicationId());
		summary.put("state", processor.state().name());
		summary.put("started", processor.isStarted());
		summary.put("paused", processor.isPaused());
		summary.put("failed", processor.isFailed());
		summary.put("threads", processor.threads().size());
		summary.put("stores", processor.storeNames());
		return summary;
	}

	static List<Map<String, Object>> asyncSteps(List<AsyncStepStats> steps, boolean showMessages) {
		List<Map<String, Object>> rendered = new ArrayList<>();
		for (AsyncStepStats step : steps) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("step", step.step());
			details.put("running", step.isRunning());
			details.put("inFlight", step.inFlight());
			details.put("buffered", step.buffered());
			details.put("bufferedBytes", step.bufferedBytes());
			details.put("pausedPartitions", step.pausedPartitions());
			details.put("succeeded", step.succeeded());
			details.put("failed", step.failed());
			details.put("timedOut", step.timedOut());
			details.put("retries", step.retries());
			details.put("deadLettered", step.deadLettered());
			details.put("skipped", step.skipped());
			long attempts = step.attempts();
			details.put("meanLatencyMs",
					(attempts > 0) ? Math.round(step.totalLatencyNanos() / 1e4 / attempts) / 100.0 : 0.0);
			Throwable failure = step.failure();
			if (failure != null) {
				details.put("error", error(failure, showMessages));
			}
			rendered.add(details);
		}
		return rendered;
	}

	static Map<String, Object> health(ManagedProcessor processor) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", processor.state().name());
		details.put("applicationId", processor.applicationId());
		details.put("started", processor.isStarted());
		details.put("paused", processor.isPaused());
		details.put("restoring", processor.isRestoring());
		details.put("threads", threads(processor));
		details.put("restoration", restorations(processor));
		details.put("threadReplacements", processor.threadReplacements());
		processor.crashLoop().ifPresent((reason) -> details.put("crashLoop", crashLoop(processor, reason)));
		processor.lastUncaughtException().ifPresent((ex) -> details.put("lastError", error(ex, true)));
		return details;
	}

	static Map<String, Object> detail(ManagedProcessor processor, boolean showMessages) {
		Map<String, Object> detail = summary(processor);
		processor.startedAt().filter((startedAt) -> processor.isStarted()).ifPresent((startedAt) -> {
			detail.put("startedAt", startedAt.toString());
			detail.put("uptimeSeconds", Math.max(0, Duration.between(startedAt, Instant.now()).toSeconds()));
		});
		detail.put("restoring", processor.isRestoring());
		detail.put("restoration", restorations(processor));
		detail.put("threadReplacements", processor.threadReplacements());
		processor.crashLoop().ifPresent((reason) -> detail.put("crashLoop", crashLoop(processor, reason)));
		processor.lastUncaughtException().ifPresent((ex) -> detail.put("lastError", error(ex, showMessages)));
		detail.put("threadDetails", threads(processor));
		detail.put("partitions", partitions(processor));
		detail.put("lag", lag(processor));
		processor.topology().ifPresent((topology) -> detail.put("topology", topology(topology)));
		detail.put("settings", ProcessorSettings.of(processor));
		return detail;
	}

	/**
	 * The crash loop's reason and the keys that set its limit, so an operator knows what
	 * stopped the processor and what to change.
	 */
	private static String crashLoop(ManagedProcessor processor, String reason) {
		return "Shut down: " + reason + " (tributary.crash-loop.max-replacements and window, or tributary.processors."
				+ processor.name() + ".crash-loop.*); fix the cause and start it again";
	}

	private static List<Map<String, Object>> threads(ManagedProcessor processor) {
		List<Map<String, Object>> threads = new ArrayList<>();
		for (ThreadMetadata thread : processor.threads()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("name", thread.threadName());
			details.put("state", thread.threadState());
			details.put("activeTasks", tasks(thread.activeTasks()));
			details.put("standbyTasks", tasks(thread.standbyTasks()));
			threads.add(details);
		}
		threads.sort((a, b) -> a.get("name").toString().compareTo(b.get("name").toString()));
		return threads;
	}

	private static List<String> tasks(Set<TaskMetadata> tasks) {
		return tasks.stream().map((task) -> task.taskId().toString()).sorted().toList();
	}

	private static Map<String, Object> restorations(ManagedProcessor processor) {
		Map<String, Object> stores = new LinkedHashMap<>();
		for (StoreRestoration restoration : processor.restorations()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("restoring", restoration.restoring());
			details.put("restoredRecords", restoration.restoredRecords());
			details.put("totalRecords", restoration.totalRecords());
			details.put("percent", Math.round(restoration.percent() * 10) / 10.0);
			details.put("recordsPerSecond", Math.round(restoration.recordsPerSecond()));
			if (restoration.estimatedRemaining() != null) {
				details.put("estimatedSecondsLeft", restoration.estimatedRemaining().toSeconds());
			}
			stores.put(restoration.store(), details);
		}
		return stores;
	}

	private static Map<String, Object> partitions(ManagedProcessor processor) {
		Set<String> active = new TreeSet<>();
		Set<String> standby = new TreeSet<>();
		for (ThreadMetadata thread : processor.threads()) {
			thread.activeTasks().forEach((task) -> task.topicPartitions().forEach((tp) -> active.add(tp.toString())));
			thread.standbyTasks().forEach((task) -> task.topicPartitions().forEach((tp) -> standby.add(tp.toString())));
		}
		return Map.of("active", List.copyOf(active), "standby", List.copyOf(standby));
	}

	/**
	 * Per input partition: the committed offset (where a restart would resume), the end
	 * offset (the partition's high watermark as of the consumer's last fetch) and the lag
	 * between them. Kafka Streams keeps the last received offset per task and the
	 * consumer's {@code records-lag} metric in memory, so no call to Kafka is needed.
	 */
	private static List<Map<String, Object>> lag(ManagedProcessor processor) {
		Map<String, Double> recordsLag = recordsLag(processor);
		List<Map<String, Object>> lag = new ArrayList<>();
		for (ThreadMetadata thread : processor.threads()) {
			for (TaskMetadata task : thread.activeTasks()) {
				for (TopicPartition partition : task.topicPartitions()) {
					Long committed = known(task.committedOffsets().get(partition));
					Long lastReceived = known(task.endOffsets().get(partition));
					Long position = (lastReceived != null) ? Long.valueOf(lastReceived + 1) : committed;
					Double behind = recordsLag.get(partition.topic() + "-" + partition.partition());
					Long end = null;
					if (position != null && behind != null && !behind.isNaN()) {
						end = position + (long) Math.max(0, behind);
					}
					else if (lastReceived != null) {
						end = lastReceived + 1;
					}
					Map<String, Object> entry = new LinkedHashMap<>();
					entry.put("topic", partition.topic());
					entry.put("partition", partition.partition());
					entry.put("committedOffset", committed);
					entry.put("endOffset", end);
					entry.put("lag", (committed != null && end != null) ? Math.max(0, end - committed) : null);
					lag.add(entry);
				}
			}
		}
		lag.sort((a, b) -> (a.get("topic") + "-" + a.get("partition")).compareTo(b.get("topic") + "-" + b.get("partition")));
		return lag;
	}

	private static Map<String, Double> recordsLag(ManagedProcessor processor) {
		Map<String, Double> lag = new HashMap<>();
		processor.kafkaStreams().ifPresent((streams) -> streams.metrics().forEach((name, metric) -> {
			Map<String, String> tags = name.tags();
			if ("records-lag".equals(name.name()) && "consumer-fetch-manager-metrics".equals(name.group())
					&& tags.containsKey("topic") && tags.containsKey("partition")
					&& !String.valueOf(tags.get("client-id")).endsWith("restore-consumer")
					&& metric.metricValue() instanceof Number value) {
				lag.put(tags.get("topic") + "-" + tags.get("partition"), value.doubleValue());
			}
		}));
		return lag;
	}

	private static Long known(Long offset) {
		return (offset != null && offset >= 0) ? offset : null;
	}

	private static Map<String, Object> topology(TopologyDescription topology) {
		List<Map<String, Object>> subtopologies = new ArrayList<>();
		for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
			List<Map<String, Object>> sources = new ArrayList<>();
			List<Map<String, Object>> processors = new ArrayList<>();
			List<Map<String, Object>> sinks = new ArrayList<>();
			for (TopologyDescription.Node node : subtopology.nodes()) {
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("name", node.name());
				String asyncStep = AsyncSteps.stepOf(node.name());
				if (asyncStep != null) {
					details.put("asyncStep", asyncStep);
				}
				if (node instanceof TopologyDescription.Source source) {
					details.put("topics", (source.topicSet() != null) ? new TreeSet<>(source.topicSet()) : List.of());
					if (source.topicPattern() != null) {
						details.put("topicPattern", source.topicPattern().pattern());
					}
					sources.add(details);
				}
				else if (node instanceof TopologyDescription.Sink sink) {
					details.put("topic", sink.topic());
					sinks.add(details);
				}
				else if (node instanceof TopologyDescription.Processor p) {
					details.put("stores", new TreeSet<>(p.stores()));
					processors.add(details);
				}
				details.put("successors", names(node.successors()));
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("id", subtopology.id());
			details.put("sources", sources);
			details.put("processors", processors);
			details.put("sinks", sinks);
			subtopologies.add(details);
		}
		List<Map<String, Object>> globalStores = new ArrayList<>();
		for (TopologyDescription.GlobalStore store : topology.globalStores()) {
			globalStores.add(Map.of("id", store.id(), "source", new TreeSet<>(store.source().topicSet()), "stores",
					new TreeSet<>(store.processor().stores())));
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("subtopologies", subtopologies);
		details.put("globalStores", globalStores);
		details.put("description", topology.toString());
		return details;
	}

	private static List<String> names(Set<TopologyDescription.Node> nodes) {
		Set<String> names = new LinkedHashSet<>();
		nodes.forEach((node) -> names.add(node.name()));
		return List.copyOf(names);
	}

	/**
	 * An exception and its root cause, by class and message; without the messages, which
	 * may hold a record's data, for those who may not see it.
	 */
	static String error(Throwable exception, boolean showMessages) {
		String description = exception.getClass().getName() + ": " + message(exception, showMessages);
		Throwable root = NestedExceptionUtils.getMostSpecificCause(exception);
		return (root != exception) ? description + "; caused by " + root.getClass().getName() + ": "
				+ message(root, showMessages) : description;
	}

	private static @Nullable String message(Throwable exception, boolean show) {
		return (show || exception.getMessage() == null) ? exception.getMessage() : StreamsEndpointParts.MASK;
	}

}
