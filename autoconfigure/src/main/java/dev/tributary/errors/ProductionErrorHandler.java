package dev.tributary.errors;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * Handles results that fail to be serialized or produced as the processor's
 * {@code tributary.errors.production} says: fail, log and continue, or send the source
 * record's original bytes to the dead-letter topic. Retriable broker errors are retried,
 * whatever the setting.
 */
public class ProductionErrorHandler implements ProductionExceptionHandler {

	private ErrorHandlingSettings settings;

	@Override
	public void configure(Map<String, ?> configs) {
		this.settings = ErrorHandlingSettings.from(configs);
	}

	@Override
	public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
			Exception exception) {
		if (exception instanceof RetriableException) {
			return Response.retry();
		}
		return handle(context, exception);
	}

	@Override
	public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
			SerializationExceptionOrigin origin) {
		return handle(context, exception);
	}

	private Response handle(ErrorHandlerContext context, Exception exception) {
		ErrorHandling handling = this.settings.production();
		this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.PRODUCTION, handling, context,
				exception);
		return switch (handling) {
			case FAIL -> Response.fail();
			case LOG_AND_CONTINUE -> Response.resume();
			case DEAD_LETTER -> Response.resume(DeadLetterRecords.of(this.settings, context, context.sourceRawKey(),
					context.sourceRawValue(), exception));
		};
	}

}
