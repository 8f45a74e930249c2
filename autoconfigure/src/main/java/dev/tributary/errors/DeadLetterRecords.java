package dev.tributary.errors;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jspecify.annotations.Nullable;

/**
 * Builds dead-letter records: the failed record's original key and value bytes and
 * headers, with headers that say what failed where. The header names are Kafka Streams' own
 * ({@code __streams.errors.*}) plus the record's timestamp and the processor name.
 */
final class DeadLetterRecords {

	/** The prefix of every error header; Kafka Streams copies headers from input to output. */
	static final String NAMESPACE = DeadLetterHeaders.NAMESPACE;

	static final String EXCEPTION = DeadLetterHeaders.EXCEPTION;

	static final String MESSAGE = DeadLetterHeaders.MESSAGE;

	static final String STACKTRACE = DeadLetterHeaders.STACKTRACE;

	static final String TOPIC = DeadLetterHeaders.TOPIC;

	static final String PARTITION = DeadLetterHeaders.PARTITION;

	static final String OFFSET = DeadLetterHeaders.OFFSET;

	static final String TIMESTAMP = DeadLetterHeaders.TIMESTAMP;

	static final String PROCESSOR = DeadLetterHeaders.PROCESSOR;

	/** The topology node that failed: a processor, a sink, or the node of a punctuator. */
	static final String NODE = DeadLetterHeaders.NODE;

	/** The Kafka Streams task that failed, for example {@code 0_1}. */
	static final String TASK = DeadLetterHeaders.TASK;

	/** For results that failed to be produced: the topic they were meant for. */
	static final String OUTPUT_TOPIC = DeadLetterHeaders.OUTPUT_TOPIC;

	static final int MAX_STACKTRACE_CHARS = 8192;

	private DeadLetterRecords() {
	}

	static List<ProducerRecord<byte[], byte[]>> of(ErrorHandlingSettings settings, ErrorHandlerContext context,
			byte[] key, byte[] value, ErrorKind kind, Exception exception) {
		return of(settings, context, key, value, context.headers(), null, kind, exception);
	}

	/**
	 * A dead-letter record. Headers of the failed record in Kafka Streams' error namespace
	 * ({@code __streams.errors.*}, and Tributary's {@link DeadLetterHeaders#KIND}, inherited, for example, by a record re-driven from a
	 * dead-letter topic) are dropped, so that the new dead letter's error headers say only
	 * what failed this time.
	 * @param key the key bytes to keep
	 * @param value the value bytes to keep
	 * @param originalHeaders the headers of the record the bytes come from, kept first
	 * @param outputTopic the topic the bytes were meant for, when they are a result that
	 * failed to be produced rather than the source record
	 * @param kind where the record failed
	 */
	static List<ProducerRecord<byte[], byte[]>> of(ErrorHandlingSettings settings, ErrorHandlerContext context,
			byte @Nullable [] key, byte @Nullable [] value, @Nullable Headers originalHeaders,
			@Nullable String outputTopic, ErrorKind kind, Exception exception) {
		ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(settings.deadLetterTopic(context), null,
				context.timestamp(), key, value);
		Headers headers = record.headers();
		if (originalHeaders != null) {
			for (Header header : originalHeaders) {
				if (!DeadLetterHeaders.isErrorHeader(header.key())) {
					headers.add(header);
				}
			}
		}
		headers.add(EXCEPTION, bytes(exception.getClass().getName()));
		headers.add(MESSAGE, bytes(String.valueOf(exception.getMessage())));
		StringWriter stackTrace = new StringWriter();
		exception.printStackTrace(new PrintWriter(stackTrace));
		headers.add(STACKTRACE, bytes(truncate(stackTrace.toString())));
		// A punctuation has no source record: no position to name.
		if (context.topic() != null) {
			headers.add(TOPIC, bytes(context.topic()));
			headers.add(PARTITION, bytes(String.valueOf(context.partition())));
			headers.add(OFFSET, bytes(String.valueOf(context.offset())));
		}
		headers.add(TIMESTAMP, bytes(String.valueOf(context.timestamp())));
		headers.add(PROCESSOR, bytes(settings.processor()));
		if (context.processorNodeId() != null) {
			headers.add(NODE, bytes(context.processorNodeId()));
		}
		if (context.taskId() != null) {
			headers.add(TASK, bytes(context.taskId().toString()));
		}
		if (outputTopic != null) {
			headers.add(OUTPUT_TOPIC, bytes(outputTopic));
		}
		headers.add(DeadLetterHeaders.KIND, bytes(kind.tag()));
		return List.of(record);
	}

	/**
	 * Whether a record is one of this processor's dead letters, known by its destination:
	 * one that failed to be produced must not be dead-lettered again. Its headers cannot
	 * tell, because a record read from a dead-letter topic passes its
	 * {@code __streams.errors.*} headers on to every result.
	 */
	static boolean isDeadLetter(ErrorHandlingSettings settings, ProducerRecord<?, ?> record) {
		return settings.isDeadLetterTopic(record.topic());
	}

	/**
	 * Caps the stack trace so that a deep one does not push the dead letter past the
	 * producer's {@code max.request.size}.
	 */
	static String truncate(String stackTrace) {
		return (stackTrace.length() <= MAX_STACKTRACE_CHARS) ? stackTrace
				: stackTrace.substring(0, MAX_STACKTRACE_CHARS) + "\n\t... (truncated)";
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
