package dev.tributary.errors;

import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Handles records whose processing throws as the processor's
 * {@code tributary.errors.processing} says: fail, log and continue, or send the source
 * record's original bytes to the dead-letter topic.
 */
public class ProcessingErrorHandler implements ProcessingExceptionHandler {

	private ErrorHandlingSettings settings;

	@Override
	public void configure(Map<String, ?> configs) {
		this.settings = ErrorHandlingSettings.from(configs);
	}

	@Override
	public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
		ErrorHandling handling = this.settings.processing();
		this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.PROCESSING, handling, context,
				exception);
		return switch (handling) {
			case FAIL -> Response.fail();
			case LOG_AND_CONTINUE -> Response.resume();
			case DEAD_LETTER -> Response.resume(DeadLetterRecords.of(this.settings, context, context.sourceRawKey(),
					context.sourceRawValue(), exception));
		};
	}

}
