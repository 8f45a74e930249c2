package dev.tributary.errors;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Handles records that fail to deserialize as the processor's
 * {@code tributary.errors.deserialization} says: fail, log and continue, or send the
 * original bytes to the dead-letter topic. Records of global stores, which Kafka Streams
 * cannot dead-letter, are skipped and logged with their position instead.
 */
public class DeserializationErrorHandler implements DeserializationExceptionHandler {

	private static final Log logger = LogFactory.getLog(DeserializationErrorHandler.class);

	private ErrorHandlingSettings settings;

	@Override
	public void configure(Map<String, ?> configs) {
		this.settings = ErrorHandlingSettings.from(configs);
	}

	@Override
	public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
			Exception exception) {
		ErrorHandling handling = this.settings.deserialization();
		if (handling == ErrorHandling.DEAD_LETTER && isGlobal(context)) {
			// The global thread cannot send (Kafka Streams would fail casting its context).
			// The record stays in its topic, so skip it and say where it is.
			logger.error("Processor '" + this.settings.processor() + "': skipping a record of global store topic '"
					+ record.topic() + "' that cannot be deserialized (partition " + record.partition() + ", offset "
					+ record.offset() + "); records of global stores cannot go to the dead-letter topic", exception);
			handling = ErrorHandling.LOG_AND_CONTINUE;
		}
		this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.DESERIALIZATION, handling, context,
				exception);
		return switch (handling) {
			case FAIL -> Response.fail();
			case LOG_AND_CONTINUE -> Response.resume();
			case DEAD_LETTER -> Response.resume(DeadLetterRecords.of(this.settings, context, record.key(),
					record.value(), record.headers(), null, ErrorKind.DESERIALIZATION, exception));
		};
	}

	/** The global stream thread's task is {@code -1_-1}. */
	private static boolean isGlobal(ErrorHandlerContext context) {
		TaskId task = context.taskId();
		return task != null && task.subtopology() < 0;
	}

}
