package dev.tributary.errors;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds dead-letter records: the failed record's original key and value bytes, with
 * headers that say what failed where. The header names are Kafka Streams' own
 * ({@code __streams.errors.*}) plus the record's timestamp and the processor name.
 */
final class DeadLetterRecords {

	static final String EXCEPTION = "__streams.errors.exception";

	static final String MESSAGE = "__streams.errors.message";

	static final String STACKTRACE = "__streams.errors.stacktrace";

	static final String TOPIC = "__streams.errors.topic";

	static final String PARTITION = "__streams.errors.partition";

	static final String OFFSET = "__streams.errors.offset";

	static final String TIMESTAMP = "__streams.errors.timestamp";

	static final String PROCESSOR = "__streams.errors.processor";

	private DeadLetterRecords() {
	}

	static List<ProducerRecord<byte[], byte[]>> of(ErrorHandlingSettings settings, ErrorHandlerContext context,
			byte[] key, byte[] value, Exception exception) {
		ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(settings.deadLetterTopic(context), null,
				context.timestamp(), key, value);
		Headers headers = record.headers();
		headers.add(EXCEPTION, bytes(exception.getClass().getName()));
		headers.add(MESSAGE, bytes(String.valueOf(exception.getMessage())));
		StringWriter stackTrace = new StringWriter();
		exception.printStackTrace(new PrintWriter(stackTrace));
		headers.add(STACKTRACE, bytes(stackTrace.toString()));
		headers.add(TOPIC, bytes(String.valueOf(context.topic())));
		headers.add(PARTITION, bytes(String.valueOf(context.partition())));
		headers.add(OFFSET, bytes(String.valueOf(context.offset())));
		headers.add(TIMESTAMP, bytes(String.valueOf(context.timestamp())));
		headers.add(PROCESSOR, bytes(settings.processor()));
		return List.of(record);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
