package dev.tributary.errors;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Handles records that fail to deserialize as the processor's
 * {@code tributary.errors.deserialization} says: fail, log and continue, or send the
 * original bytes to the dead-letter topic.
 */
public class DeserializationErrorHandler implements DeserializationExceptionHandler {

	private ErrorHandlingSettings settings;

	@Override
	public void configure(Map<String, ?> configs) {
		this.settings = ErrorHandlingSettings.from(configs);
	}

	@Override
	public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
			Exception exception) {
		ErrorHandling handling = this.settings.deserialization();
		this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.DESERIALIZATION, handling, context,
				exception);
		return switch (handling) {
			case FAIL -> Response.fail();
			case LOG_AND_CONTINUE -> Response.resume();
			case DEAD_LETTER -> Response
				.resume(DeadLetterRecords.of(this.settings, context, record.key(), record.value(), exception));
		};
	}

}
