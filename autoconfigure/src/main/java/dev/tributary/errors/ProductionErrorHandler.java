package dev.tributary.errors;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.jspecify.annotations.Nullable;

/**
 * Handles results that fail to be serialized or produced as the processor's
 * {@code tributary.errors.production} says: fail, log and continue, or send to the
 * dead-letter topic the source record's original bytes (serialization errors) or the
 * serialized result that the broker refused (production errors). Retriable broker
 * errors are retried, whatever the setting, and a dead letter that cannot be sent fails
 * the task rather than being dead-lettered again.
 */
public class ProductionErrorHandler implements ProductionExceptionHandler {

	private static final Log logger = LogFactory.getLog(ProductionErrorHandler.class);

	private ErrorHandlingSettings settings;

	private @Nullable SourceRecordReader reader;

	@Override
	public void configure(Map<String, ?> configs) {
		this.settings = ErrorHandlingSettings.from(configs);
		this.reader = (configs.get(SourceRecordReader.CONFIG_KEY) instanceof SourceRecordReader reader) ? reader
				: null;
	}

	@Override
	public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
			Exception exception) {
		if (exception instanceof RetriableException) {
			return Response.retry();
		}
		if (DeadLetterRecords.isDeadLetter(this.settings, record)) {
			// Dead-lettering a dead letter again could loop for ever; failing keeps the
			// source record's offset uncommitted, so it is processed again.
			logger.error("Processor '" + this.settings.processor() + "' could not send a dead letter to '"
					+ record.topic() + "'; failing the task so that the source record is not lost", exception);
			this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.PRODUCTION, ErrorHandling.FAIL,
					context, exception);
			return Response.fail();
		}
		// The source record's bytes are gone by now (Kafka Streams releases them before it
		// sends); the result that failed is what can be kept.
		return handle(context, exception, record.key(), record.value(), record.headers(), record.topic());
	}

	@Override
	public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
			SerializationExceptionOrigin origin) {
		// The result could not be serialized, so the source record is what can be kept.
		if (this.settings.production() != ErrorHandling.DEAD_LETTER) {
			return handle(context, exception, null, null, null, null);
		}
		SourceRecordReader.Source source = SourceRecordReader.source(context, this.reader);
		if (source == null) {
			SourceRecordReader.cannotDeadLetter(this.settings, ErrorKind.PRODUCTION, context, this.reader);
			this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.PRODUCTION, ErrorHandling.FAIL,
					context, exception);
			return Response.fail();
		}
		return handle(context, exception, source.key(), source.value(), source.headers(), null);
	}

	private Response handle(ErrorHandlerContext context, Exception exception, byte @Nullable [] key,
			byte @Nullable [] value, @Nullable Headers headers, @Nullable String outputTopic) {
		ErrorHandling handling = this.settings.production();
		this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.PRODUCTION, handling, context,
				exception);
		return switch (handling) {
			case FAIL -> Response.fail();
			case LOG_AND_CONTINUE -> Response.resume();
			case DEAD_LETTER -> Response
				.resume(DeadLetterRecords.of(this.settings, context, key, value, headers, outputTopic, exception));
		};
	}

}
