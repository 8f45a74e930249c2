package dev.tributary.errors;

import java.util.Locale;
import java.util.Map;

import dev.tributary.runtime.UnrecoverableProcessorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.jspecify.annotations.Nullable;

/**
 * Handles results that fail to be serialized or produced as the processor's
 * {@code tributary.errors.production} says: fail, log and continue, or send to the
 * dead-letter topic the source record's original bytes (serialization errors) or the
 * serialized result that the broker refused (production errors). Retriable broker
 * errors on output topics are retried, whatever the setting.
 *
 * <p>Under exactly-once, a result that the producer refuses stops the processor instead:
 * the failed send has made the transaction abortable, so a dead letter or a skip would be
 * rolled back with it. Serialization errors happen before anything is sent and are
 * handled as configured under either guarantee.
 *
 * <p>Two writes are never skipped: a dead letter (dead-lettering it again could loop for
 * ever, and retrying it re-processes the record for ever) and a write to one of the
 * processor's own changelog or repartition topics (the store and its changelog, or the
 * two halves of the topology, would disagree). Either failure stops the processor with an
 * {@link UnrecoverableProcessorException} that names the topic and the cause, whatever
 * its uncaught-exception policy, so that a record that fails every time is not read again
 * and again.
 */
public class ProductionErrorHandler implements ProductionExceptionHandler {

	private static final Log logger = LogFactory.getLog(ProductionErrorHandler.class);

	private ErrorHandlingSettings settings;

	private @Nullable SourceRecordReader reader;

	private @Nullable DeadLetterSender sender;

	private String applicationId = "";

	private boolean exactlyOnce;

	@Override
	public void configure(Map<String, ?> configs) {
		this.settings = ErrorHandlingSettings.from(configs);
		this.reader = (configs.get(SourceRecordReader.CONFIG_KEY) instanceof SourceRecordReader reader) ? reader
				: null;
		this.sender = (configs.get(DeadLetterSender.CONFIG_KEY) instanceof DeadLetterSender sender) ? sender : null;
		this.applicationId = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
		this.exactlyOnce = String.valueOf(configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
			.startsWith("exactly_once");
	}

	@Override
	public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
			Exception exception) {
		if (DeadLetterRecords.isDeadLetter(this.settings, record)) {
			// Retriable ones too: the producer has already retried for delivery.timeout.ms
			// (or waited max.block.ms for a topic that does not exist), and a RETRY would
			// re-process the record and wait again, for ever.
			throw deadLetterNotWritten(context, record.topic(), exception);
		}
		if (exception instanceof RetriableException) {
			return Response.retry();
		}
		String internalTopic = internalTopicKind(this.applicationId, record.topic());
		if (internalTopic != null) {
			throw internalTopicNotWritten(context, internalTopic, record.topic(), exception);
		}
		if (this.exactlyOnce) {
			// The transactional producer has made the transaction abortable (even for a
			// record refused in send(), such as one over max.request.size): a dead letter
			// or a skip would be aborted with it, and a retry fails the same way.
			throw transactionAborted(context, record.topic(), exception);
		}
		// The source record's bytes are gone by now (Kafka Streams releases them before it
		// sends); the result that failed is what can be kept.
		if (this.sender != null && this.settings.production() == ErrorHandling.DEAD_LETTER) {
			return sendDeadLetter(context, record, exception, this.sender);
		}
		return handle(context, exception, record.key(), record.value(), record.headers(), record.topic());
	}

	/**
	 * On the producer's network thread: Kafka Streams would send the returned dead letter
	 * from here and wait for metadata only this thread can fetch (see
	 * {@link DeadLetterSender}), so the dead letter goes through a producer of its own.
	 */
	private Response sendDeadLetter(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
			Exception exception, DeadLetterSender sender) {
		ProducerRecord<byte[], byte[]> deadLetter = DeadLetterRecords
			.of(this.settings, context, record.key(), record.value(), record.headers(), record.topic(),
					ErrorKind.PRODUCTION, exception)
			.get(0);
		try {
			sender.send(deadLetter);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw deadLetterNotWritten(context, deadLetter.topic(), ex);
		}
		this.settings.listener().errorHandled(this.settings.processor(), ErrorKind.PRODUCTION,
				ErrorHandling.DEAD_LETTER, context, exception);
		return Response.resume();
	}

	@Override
	public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
			SerializationExceptionOrigin origin) {
		// The result could not be serialized, so the source record is what can be kept.
		// Nothing was written anywhere, so even for a repartition topic nothing diverges:
		// the record is in the dead-letter topic instead, as for a processing error.
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
				.resume(DeadLetterRecords.of(this.settings, context, key, value, headers, outputTopic,
						ErrorKind.PRODUCTION, exception));
		};
	}

	private UnrecoverableProcessorException deadLetterNotWritten(ErrorHandlerContext context, String topic,
			Exception exception) {
		String processor = this.settings.processor();
		this.settings.listener().errorHandled(processor, ErrorKind.PRODUCTION, ErrorHandling.FAIL, context, exception);
		this.settings.listener().deadLetterFailed(processor, topic, exception);
		UnrecoverableProcessorException failure = new UnrecoverableProcessorException("Processor '" + processor
				+ "' could not write a dead letter to topic '" + topic + "' (" + exception + "); it stops rather than "
				+ "read the record again and fail the same way. Make sure the topic exists, that the application may "
				+ "write to it and that the record fits its max.message.bytes, then start the processor again",
				exception);
		logger.error(failure.getMessage(), exception);
		return failure;
	}

	private UnrecoverableProcessorException internalTopicNotWritten(ErrorHandlerContext context, String kind,
			String topic, Exception exception) {
		String processor = this.settings.processor();
		this.settings.listener().errorHandled(processor, ErrorKind.PRODUCTION, ErrorHandling.FAIL, context, exception);
		String consequence = kind.equals("changelog") ? "the state store and its changelog would disagree"
				: "the part of the topology that reads it would never see the record";
		UnrecoverableProcessorException failure = new UnrecoverableProcessorException("Processor '" + processor
				+ "' could not write to its " + kind + " topic '" + topic + "' (" + exception + "). A write to a "
				+ "changelog or repartition topic is never skipped or dead-lettered, whatever "
				+ "tributary.errors.production says, because " + consequence + "; the processor stops. Fix the "
				+ "cause (for a record too large: raise the topic's max.message.bytes and the producer's "
				+ "max.request.size), then start it again", exception);
		logger.error(failure.getMessage(), exception);
		return failure;
	}

	private UnrecoverableProcessorException transactionAborted(ErrorHandlerContext context, String topic,
			Exception exception) {
		String processor = this.settings.processor();
		this.settings.listener().errorHandled(processor, ErrorKind.PRODUCTION, ErrorHandling.FAIL, context, exception);
		UnrecoverableProcessorException failure = new UnrecoverableProcessorException("Processor '" + processor
				+ "' could not write a result to topic '" + topic + "' (" + exception + "). Under exactly-once a "
				+ "failed write aborts the whole transaction, so the result can be neither dead-lettered nor skipped, "
				+ "whatever tributary.errors.production says; the processor stops. Make the result fit (for a record "
				+ "too large: raise tributary.processors." + processor + ".properties.producer.max.request.size and "
				+ "the topic's max.message.bytes), then start the processor again", exception);
		logger.error(failure.getMessage(), exception);
		return failure;
	}

	/**
	 * What kind of internal topic of the application a topic is, if it is one: Kafka
	 * Streams names them {@code <application.id>-<name>-changelog}, {@code -repartition},
	 * and, for foreign-key joins, {@code -subscription-registration-topic} and
	 * {@code -subscription-response-topic} (upper case when generated).
	 * @return {@code changelog}, {@code repartition}, or {@code null} for any other topic
	 */
	static @Nullable String internalTopicKind(String applicationId, String topic) {
		if (!topic.startsWith(applicationId + "-")) {
			return null;
		}
		if (topic.endsWith("-changelog")) {
			return "changelog";
		}
		String lowerCase = topic.toLowerCase(Locale.ROOT);
		if (lowerCase.endsWith("-repartition") || lowerCase.endsWith("-subscription-registration-topic")
				|| lowerCase.endsWith("-subscription-response-topic")) {
			return "repartition";
		}
		if (lowerCase.contains("-ktable-fk-join-subscription-") && lowerCase.endsWith("-topic")) {
			return "repartition";
		}
		return null;
	}

}
