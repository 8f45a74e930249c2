package dev.tributary.errors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tributary.runtime.UnrecoverableProcessorException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The writes {@link ProductionErrorHandler} never skips, and what it answers instead.
 */
class ProductionErrorHandlerTests {

	private final List<String> handled = new ArrayList<>();

	private final List<String> deadLetterFailures = new ArrayList<>();

	private final ErrorHandlingSettings settings = new ErrorHandlingSettings("orders", ErrorHandling.DEAD_LETTER,
			ErrorHandling.DEAD_LETTER, ErrorHandling.DEAD_LETTER, "orders-dlq", new Listener());

	private final Context context = new Context();

	@Test
	void aDeadLetterThatCannotBeSentStopsTheProcessorEvenWhenTheErrorIsRetriable() {
		ProductionErrorHandler handler = handler("at_least_once", this.settings);
		ProducerRecord<byte[], byte[]> deadLetter = DeadLetterRecords
			.of(this.settings, this.context, bytes("k"), bytes("v"), ErrorKind.PRODUCTION,
					new IllegalStateException("first"))
			.get(0);
		assertThatExceptionOfType(UnrecoverableProcessorException.class)
			.isThrownBy(() -> handler.handleError(this.context, deadLetter,
					new TimeoutException("Topic orders-dlq not present in metadata after 60000 ms.")))
			.withMessageContaining("could not write a dead letter to topic 'orders-dlq'")
			.withMessageContaining("not present in metadata");
		assertThat(this.handled).containsExactly("production/FAIL");
		assertThat(this.deadLetterFailures).containsExactly("orders-dlq: TimeoutException");
	}

	@Test
	void aRefusedChangelogWriteIsNeverDeadLettered() {
		ProductionErrorHandler handler = handler("at_least_once", this.settings);
		assertThatExceptionOfType(UnrecoverableProcessorException.class)
			.isThrownBy(() -> handler.handleError(this.context,
					record("orders-app-totals-changelog"), new RecordTooLargeException("too large")))
			.withMessageContaining("changelog topic 'orders-app-totals-changelog'")
			.withMessageContaining("never skipped or dead-lettered")
			.withMessageContaining("the state store and its changelog would disagree");
		assertThat(this.handled).containsExactly("production/FAIL");
	}

	@Test
	void aRefusedRepartitionWriteIsNeverSkipped() {
		ErrorHandlingSettings skip = new ErrorHandlingSettings("orders", ErrorHandling.DEAD_LETTER,
				ErrorHandling.DEAD_LETTER, ErrorHandling.LOG_AND_CONTINUE, "orders-dlq", new Listener());
		ProductionErrorHandler handler = handler("at_least_once", skip);
		assertThatExceptionOfType(UnrecoverableProcessorException.class)
			.isThrownBy(() -> handler.handleError(this.context, record("orders-app-by-customer-repartition"),
					new RecordTooLargeException("too large")))
			.withMessageContaining("repartition topic 'orders-app-by-customer-repartition'");
		assertThatExceptionOfType(UnrecoverableProcessorException.class).isThrownBy(() -> handler.handleError(
				this.context, record("orders-app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic"),
				new RecordTooLargeException("too large")));
	}

	@Test
	void retriableErrorsOnInternalTopicsAreRetried() {
		ProductionErrorHandler handler = handler("at_least_once", this.settings);
		Response response = handler.handleError(this.context, record("orders-app-totals-changelog"),
				new TimeoutException("slow"));
		assertThat(response.result()).isEqualTo(Result.RETRY);
	}

	@Test
	void onlyThisApplicationsOwnTopicsCountAsInternal() {
		assertThat(ProductionErrorHandler.internalTopicKind("orders-app", "orders-app-totals-changelog"))
			.isEqualTo("changelog");
		assertThat(ProductionErrorHandler.internalTopicKind("orders-app", "orders-app-x-subscription-response-topic"))
			.isEqualTo("repartition");
		assertThat(ProductionErrorHandler.internalTopicKind("orders-app", "billing-totals-changelog")).isNull();
		assertThat(ProductionErrorHandler.internalTopicKind("orders-app", "orders-app-invoices")).isNull();
		ProductionErrorHandler handler = handler("at_least_once", this.settings);
		Response response = handler.handleError(this.context, record("billing-totals-changelog"),
				new RecordTooLargeException("too large"));
		assertThat(response.result()).isEqualTo(Result.RESUME);
		assertThat(response.deadLetterQueueRecords()).hasSize(1);
	}

	@Test
	void underExactlyOnceARefusedResultStopsTheProcessorInsteadOfADeadLetterThatWouldBeAborted() {
		ProductionErrorHandler handler = handler("exactly_once_v2", this.settings);
		assertThatExceptionOfType(UnrecoverableProcessorException.class)
			.isThrownBy(() -> handler.handleError(this.context, record("invoices"), new RecordTooLargeException(
					"The message is 2000 bytes when serialized which is larger than 1024, which is the value of the "
							+ "max.request.size configuration.")))
			.withMessageContaining("topic 'invoices'")
			.withMessageContaining("max.request.size")
			.withMessageContaining("Under exactly-once a failed write aborts the whole transaction");
	}

	@Test
	void underExactlyOnceASerializationErrorIsStillDeadLettered() {
		// Nothing was sent, so the transaction is intact.
		ProductionErrorHandler handler = handler("exactly_once_v2", this.settings);
		Response response = handler.handleSerializationError(this.context, record("invoices"),
				new SerializationException("bad"), SerializationExceptionOrigin.VALUE);
		assertThat(response.result()).isEqualTo(Result.RESUME);
		assertThat(response.deadLetterQueueRecords()).extracting(ProducerRecord::topic).containsExactly("orders-dlq");
	}

	@Test
	void anUnrecoverableFailureIsRecognisedInsideKafkaStreamsOwnWrappers() {
		UnrecoverableProcessorException failure = new UnrecoverableProcessorException("dead letter",
				new RecordTooLargeException("too large"));
		assertThat(UnrecoverableProcessorException
			.isCauseOf(new StreamsException("task 0_1", new StreamsException("callback", failure))))
			.isTrue();
		assertThat(UnrecoverableProcessorException.isCauseOf(new StreamsException("task 0_1",
				new RecordTooLargeException("too large")))).isFalse();
	}

	private static ProductionErrorHandler handler(String guarantee, ErrorHandlingSettings settings) {
		Map<String, Object> configs = new HashMap<>();
		configs.put(ErrorHandlingSettings.CONFIG_KEY, settings);
		configs.put(StreamsConfig.APPLICATION_ID_CONFIG, "orders-app");
		configs.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
		ProductionErrorHandler handler = new ProductionErrorHandler();
		handler.configure(configs);
		return handler;
	}

	private static ProducerRecord<byte[], byte[]> record(String topic) {
		return new ProducerRecord<>(topic, bytes("k"), bytes("v"));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private final class Listener implements ErrorHandlingSettings.ErrorListener {

		@Override
		public void errorHandled(String processor, ErrorKind kind, ErrorHandling handling,
				ErrorHandlerContext context, Exception exception) {
			ProductionErrorHandlerTests.this.handled.add(kind.tag() + "/" + handling);
		}

		@Override
		public void deadLetterFailed(String processor, String topic, Exception exception) {
			ProductionErrorHandlerTests.this.deadLetterFailures.add(topic + ": " + exception.getClass().getSimpleName());
		}

	}

	/** A record of task 0_1 read from {@code orders} at offset 9. */
	private static final class Context implements ErrorHandlerContext {

		private final Headers headers = new RecordHeaders();

		@Override
		public String topic() {
			return "orders";
		}

		@Override
		public int partition() {
			return 1;
		}

		@Override
		public long offset() {
			return 9;
		}

		@Override
		public Headers headers() {
			return this.headers;
		}

		@Override
		public String processorNodeId() {
			return "KSTREAM-SINK-0000000003";
		}

		@Override
		public TaskId taskId() {
			return new TaskId(0, 1);
		}

		@Override
		public long timestamp() {
			return 1_000L;
		}

		@Override
		public byte[] sourceRawKey() {
			return bytes("k");
		}

		@Override
		public byte[] sourceRawValue() {
			return bytes("source");
		}

	}

}
