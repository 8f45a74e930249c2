package dev.tributary.errors;

import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jspecify.annotations.Nullable;

/**
 * Handles records whose processing throws as the processor's
 * {@code tributary.errors.processing} says: fail, log and continue, or send the source
 * record's original bytes to the dead-letter topic. A failure in a punctuation has no
 * source record: its dead letter has no key and value.
 */
public class ProcessingErrorHandler implements ProcessingExceptionHandler {

	private ErrorHandlingSettings settings;

	private @Nullable SourceRecordReader reader;

	@Override
	public void configure(Map<String, ?> configs) {
		this.settings = ErrorHandlingSettings.from(configs);
		this.reader = (configs.get(SourceRecordReader.CONFIG_KEY) instanceof SourceRecordReader reader) ? reader
				: null;
	}

	@Override
	public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
		ErrorHandling handling = this.settings.processing();
		SourceRecordReader.Source source = null;
		if (handling == ErrorHandling.DEAD_LETTER) {
			source = SourceRecordReader.source(context, this.reader);
			if (source == null) {
				SourceRecordReader.cannotDeadLetter(this.settings, ErrorKind.PROCESSING, context, this.reader);
				handling = ErrorHandling.FAIL;
			}
		}
		this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.PROCESSING, handling, context,
				exception);
		return switch (handling) {
			case FAIL -> Response.fail();
			case LOG_AND_CONTINUE -> Response.resume();
			case DEAD_LETTER -> Response.resume(DeadLetterRecords.of(this.settings, context, source.key(),
					source.value(), source.headers(), null, ErrorKind.PROCESSING, exception));
		};
	}

}
