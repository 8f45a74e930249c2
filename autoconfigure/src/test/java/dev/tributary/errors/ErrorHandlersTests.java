package dev.tributary.errors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tributary.runtime.UnrecoverableProcessorException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the handlers answer in the cases the integration tests cannot produce on demand.
 */
class ErrorHandlersTests {

	private final List<ErrorHandling> handled = new ArrayList<>();

	private final ErrorHandlingSettings settings = new ErrorHandlingSettings("orders", ErrorHandling.DEAD_LETTER,
			ErrorHandling.DEAD_LETTER, ErrorHandling.DEAD_LETTER, "orders-dlq",
			(processor, kind, handling, context, exception) -> this.handled.add(handling));

	private final Map<String, Object> configs = Map.of(ErrorHandlingSettings.CONFIG_KEY, this.settings);

	@Test
	void globalStoreRecordsAreSkippedBecauseTheGlobalThreadCannotDeadLetter() {
		DeserializationErrorHandler handler = new DeserializationErrorHandler();
		handler.configure(this.configs);
		DeserializationExceptionHandler.Response response = handler.handleError(context(new TaskId(-1, -1), null),
				new ConsumerRecord<>("rates", 0, 7, bytes("usd"), bytes("bad")), new IllegalStateException("bad"));
		assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
		assertThat(response.deadLetterQueueRecords()).isEmpty();
		assertThat(this.handled).containsExactly(ErrorHandling.LOG_AND_CONTINUE);
	}

	@Test
	void taskRecordsGoToTheDeadLetterTopicWithTheirOwnHeaders() {
		DeserializationErrorHandler handler = new DeserializationErrorHandler();
		handler.configure(this.configs);
		ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 1, 9, bytes("k"), bytes("bad"));
		record.headers().add("schema", bytes("v2"));
		DeserializationExceptionHandler.Response response = handler.handleError(context(new TaskId(0, 1), null),
				record, new IllegalStateException("bad"));
		ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().get(0);
		assertThat(deadLetter.topic()).isEqualTo("orders-dlq");
		assertThat(deadLetter.value()).isEqualTo(bytes("bad"));
		assertThat(deadLetter.headers().lastHeader("schema").value()).isEqualTo(bytes("v2"));
		assertThat(deadLetter.headers().lastHeader(DeadLetterRecords.EXCEPTION)).isNotNull();
	}

	@Test
	void eachDeadLetterNamesTheKindOfItsFailureOnceEvenWhenItFailedBefore() {
		DeserializationErrorHandler deserialization = new DeserializationErrorHandler();
		deserialization.configure(this.configs);
		ConsumerRecord<byte[], byte[]> replayed = new ConsumerRecord<>("orders", 1, 9, bytes("k"), bytes("bad"));
		// A record replayed from a dead-letter topic carries the headers of its first failure.
		replayed.headers().add(DeadLetterHeaders.KIND, bytes("processing"));
		replayed.headers().add(DeadLetterHeaders.ASYNC_STEP, bytes("enrich"));
		ProducerRecord<byte[], byte[]> deadLetter = deserialization
			.handleError(context(new TaskId(0, 1), null), replayed, new IllegalStateException("bad"))
			.deadLetterQueueRecords()
			.get(0);
		assertThat(values(deadLetter.headers(), DeadLetterHeaders.KIND)).containsExactly("deserialization");
		assertThat(deadLetter.headers().lastHeader(DeadLetterHeaders.ASYNC_STEP)).isNull();
		ProductionErrorHandler production = new ProductionErrorHandler();
		production.configure(this.configs);
		ProducerRecord<byte[], byte[]> refused = production
			.handleError(context(new TaskId(0, 1), null), new ProducerRecord<>("invoices", bytes("k"), bytes("v")),
					new RecordTooLargeException("too large"))
			.deadLetterQueueRecords()
			.get(0);
		assertThat(values(refused.headers(), DeadLetterHeaders.KIND)).containsExactly("production");
	}

	@Test
	void aResultTheBrokerRefusesIsDeadLetteredWithItsOwnBytesAndTopic() {
		ProductionErrorHandler handler = new ProductionErrorHandler();
		handler.configure(this.configs);
		// Kafka Streams has released the source record's bytes by the time a send fails.
		ProducerRecord<byte[], byte[]> result = new ProducerRecord<>("invoices", bytes("k"), bytes("result"));
		ProductionExceptionHandler.Response response = handler.handleError(context(new TaskId(0, 1), null), result,
				new RecordTooLargeException("too large"));
		assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
		ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().get(0);
		assertThat(deadLetter.key()).isEqualTo(bytes("k"));
		assertThat(deadLetter.value()).isEqualTo(bytes("result"));
		assertThat(deadLetter.headers().lastHeader(DeadLetterRecords.OUTPUT_TOPIC).value()).isEqualTo(bytes("invoices"));
	}

	@Test
	void aDeadLetterThatCannotBeSentFailsTheTaskInsteadOfLooping() {
		ProductionErrorHandler handler = new ProductionErrorHandler();
		handler.configure(this.configs);
		ErrorHandlerContext context = context(new TaskId(0, 1), null);
		ProducerRecord<byte[], byte[]> deadLetter = DeadLetterRecords
			.of(this.settings, context, bytes("k"), bytes("v"), ErrorKind.PRODUCTION,
					new IllegalStateException("first"))
			.get(0);
		// Thrown, not answered FAIL: the processor stops whatever its uncaught-exception policy.
		assertThatExceptionOfType(UnrecoverableProcessorException.class)
			.isThrownBy(() -> handler.handleError(context, deadLetter, new RecordTooLargeException("too large")));
		assertThat(this.handled).containsExactly(ErrorHandling.FAIL);
	}

	@Test
	void deepStackTracesAreCapped() {
		Exception deep = new IllegalStateException("deep");
		List<StackTraceElement> frames = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			frames.add(new StackTraceElement("com.example.Deep", "call" + i, "Deep.java", i));
		}
		deep.setStackTrace(frames.toArray(StackTraceElement[]::new));
		ProducerRecord<byte[], byte[]> deadLetter = DeadLetterRecords
			.of(this.settings, context(new TaskId(0, 1), null), bytes("k"), bytes("v"), ErrorKind.PROCESSING, deep)
			.get(0);
		String stackTrace = new String(deadLetter.headers().lastHeader(DeadLetterRecords.STACKTRACE).value(),
				StandardCharsets.UTF_8);
		assertThat(stackTrace).startsWith("java.lang.IllegalStateException: deep").endsWith("(truncated)");
		assertThat(stackTrace.length()).isLessThan(DeadLetterRecords.MAX_STACKTRACE_CHARS + 100);
	}

	@Test
	void anOrdinaryResultCarryingInheritedErrorHeadersIsDeadLetteredNotTreatedAsAFailedDeadLetter() {
		ProductionErrorHandler handler = new ProductionErrorHandler();
		handler.configure(this.configs);
		// A result of a record re-driven from a dead-letter topic inherits its error headers.
		ProducerRecord<byte[], byte[]> result = new ProducerRecord<>("invoices", bytes("k"), bytes("result"));
		result.headers().add(DeadLetterRecords.EXCEPTION, bytes("com.example.OldException"));
		result.headers().add(DeadLetterRecords.OFFSET, bytes("3"));
		ProductionExceptionHandler.Response response = handler.handleError(context(new TaskId(0, 1), null), result,
				new RecordTooLargeException("too large"));
		assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
		ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().get(0);
		assertThat(deadLetter.topic()).isEqualTo("orders-dlq");
		assertThat(values(deadLetter.headers(), DeadLetterRecords.EXCEPTION))
			.containsExactly(RecordTooLargeException.class.getName());
		assertThat(values(deadLetter.headers(), DeadLetterRecords.OFFSET)).containsExactly("9");
		assertThat(this.handled).containsExactly(ErrorHandling.DEAD_LETTER);
	}

	@Test
	void deadLetterTopicsAreKnownByNameWhateverTheSourceTopic() {
		ErrorHandlingSettings perSource = new ErrorHandlingSettings("orders", ErrorHandling.DEAD_LETTER,
				ErrorHandling.DEAD_LETTER, ErrorHandling.DEAD_LETTER, "{source-topic}.orders.dlq",
				this.settings.listener());
		assertThat(perSource.isDeadLetterTopic("payments.orders.dlq")).isTrue();
		assertThat(perSource.isDeadLetterTopic("punctuation.orders.dlq")).isTrue();
		assertThat(perSource.isDeadLetterTopic("payments-orders-dlq")).isFalse();
		assertThat(perSource.isDeadLetterTopic("invoices")).isFalse();
		assertThat(this.settings.isDeadLetterTopic("orders-dlq")).isTrue();
		assertThat(this.settings.isDeadLetterTopic("orders-dlq2")).isFalse();
	}

	@Test
	void aPunctuationsDeadLetterNamesNoSourcePositionAndGoesToThePunctuationTopic() {
		ErrorHandlingSettings perSource = new ErrorHandlingSettings("orders", ErrorHandling.DEAD_LETTER,
				ErrorHandling.DEAD_LETTER, ErrorHandling.DEAD_LETTER, "{source-topic}.orders.dlq",
				this.settings.listener());
		ProcessingErrorHandler handler = new ProcessingErrorHandler();
		handler.configure(Map.of(ErrorHandlingSettings.CONFIG_KEY, perSource));
		ProcessingExceptionHandler.Response response = handler.handleError(
				context(new TaskId(0, 1), null, -1, null, null), null, new IllegalStateException("tick"));
		assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
		ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().get(0);
		assertThat(deadLetter.topic()).isEqualTo("punctuation.orders.dlq");
		assertThat(deadLetter.key()).isNull();
		assertThat(deadLetter.value()).isNull();
		assertThat(deadLetter.headers().lastHeader(DeadLetterRecords.TOPIC)).isNull();
		assertThat(deadLetter.headers().lastHeader(DeadLetterRecords.OFFSET)).isNull();
		assertThat(values(deadLetter.headers(), DeadLetterRecords.NODE)).containsExactly("KSTREAM-SOURCE-0000000000");
		assertThat(values(deadLetter.headers(), DeadLetterRecords.TASK)).containsExactly("0_1");
	}

	@Test
	void aRecordWhoseBytesWereReleasedAndCannotBeReadBackFailsRatherThanLosingItsBytes() {
		// Without a reader the bytes cannot come back: a dead letter without them would
		// lose the record once its offset is committed.
		ProductionErrorHandler production = new ProductionErrorHandler();
		production.configure(this.configs);
		ProductionExceptionHandler.Response response = production.handleSerializationError(
				context(new TaskId(0, 1), "orders", 9, null, null), new ProducerRecord<>("invoices", "k", "v"),
				new IllegalStateException("cannot serialize"),
				ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
		assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
		assertThat(response.deadLetterQueueRecords()).isEmpty();
		ProcessingErrorHandler processing = new ProcessingErrorHandler();
		processing.configure(this.configs);
		ProcessingExceptionHandler.Response processed = processing.handleError(
				context(new TaskId(0, 1), "orders", 9, null, null), null, new IllegalStateException("bad"));
		assertThat(processed.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
		assertThat(this.handled).containsExactly(ErrorHandling.FAIL, ErrorHandling.FAIL);
	}

	@Test
	void aRecordWhoseBytesAreStillHeldIsDeadLetteredWithThem() {
		ProcessingErrorHandler processing = new ProcessingErrorHandler();
		processing.configure(this.configs);
		ProcessingExceptionHandler.Response response = processing.handleError(
				context(new TaskId(0, 1), "orders", 9, bytes("k"), bytes("v")), null, new IllegalStateException("bad"));
		assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
		assertThat(response.deadLetterQueueRecords().get(0).key()).isEqualTo(bytes("k"));
		assertThat(response.deadLetterQueueRecords().get(0).value()).isEqualTo(bytes("v"));
	}

	private static List<String> values(Headers headers, String name) {
		List<String> values = new ArrayList<>();
		headers.headers(name).forEach((header) -> values.add(new String(header.value(), StandardCharsets.UTF_8)));
		return values;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static ErrorHandlerContext context(TaskId taskId, byte[] sourceRawValue) {
		return context(taskId, "orders", 9, null, sourceRawValue);
	}

	private static ErrorHandlerContext context(TaskId taskId, String topic, long offset, byte[] sourceRawKey,
			byte[] sourceRawValue) {
		Headers headers = new RecordHeaders();
		return new ErrorHandlerContext() {

			@Override
			public String topic() {
				return topic;
			}

			@Override
			public int partition() {
				return taskId.partition();
			}

			@Override
			public long offset() {
				return offset;
			}

			@Override
			public Headers headers() {
				return headers;
			}

			@Override
			public String processorNodeId() {
				return "KSTREAM-SOURCE-0000000000";
			}

			@Override
			public TaskId taskId() {
				return taskId;
			}

			@Override
			public long timestamp() {
				return 1_000L;
			}

			@Override
			public byte[] sourceRawKey() {
				return sourceRawKey;
			}

			@Override
			public byte[] sourceRawValue() {
				return sourceRawValue;
			}

		};
	}

}
