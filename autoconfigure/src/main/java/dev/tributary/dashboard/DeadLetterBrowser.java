package dev.tributary.dashboard;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.tributary.errors.DeadLetterHeaders;
import dev.tributary.errors.ErrorHandling;
import dev.tributary.errors.ErrorKind;
import dev.tributary.runtime.ClientSettings;
import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;

/**
 * The latest dead letters of a processor, read from its dead-letter topics (the
 * error handlers' and its async steps'), and how many each topic holds. Bounded: at most
 * {@code maxRecords} records, each key, value and header cut at {@value #MAX_SHOWN_BYTES}
 * bytes (a stack trace at {@value #MAX_STACKTRACE_BYTES}), fetches of at most
 * {@value #MAX_FETCH_BYTES} bytes, and a read of at most {@link #READ_TIMEOUT}.
 *
 * <p>Each read uses a consumer of its own with the processor's connection and security
 * settings and no consumer group (client id {@code <application-id>-dead-letter-browser};
 * {@code read_committed} under exactly-once), closed after the read; a processor's answer
 * is kept for {@code maxAge}, so that several people looking cause one read.
 */
public class DeadLetterBrowser {

	/** The most bytes of a key, a value or a header shown. */
	public static final int MAX_SHOWN_BYTES = 2048;

	/** The most bytes of a stack trace header shown. */
	public static final int MAX_STACKTRACE_BYTES = 8192;

	static final int MAX_FETCH_BYTES = 4 * 1024 * 1024;

	static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

	private final Function<String, Set<String>> topics;

	private final Function<String, Map<ErrorKind, Map<ErrorHandling, Long>>> handled;

	private final int maxRecords;

	private final Duration maxAge;

	private final LongSupplier nanoClock;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	/**
	 * Creates the browser.
	 * @param topics the dead-letter topics of a processor, by its name
	 * @param handled the errors a processor has handled on this instance, by its name
	 * @param maxRecords the most dead letters to show
	 * @param maxAge how long an answer is kept
	 */
	public DeadLetterBrowser(Function<String, Set<String>> topics,
			Function<String, Map<ErrorKind, Map<ErrorHandling, Long>>> handled, int maxRecords, Duration maxAge) {
		this(topics, handled, maxRecords, maxAge, System::nanoTime);
	}

	DeadLetterBrowser(Function<String, Set<String>> topics,
			Function<String, Map<ErrorKind, Map<ErrorHandling, Long>>> handled, int maxRecords, Duration maxAge,
			LongSupplier nanoClock) {
		this.topics = topics;
		this.handled = handled;
		this.maxRecords = maxRecords;
		this.maxAge = maxAge;
		this.nanoClock = nanoClock;
	}

	/**
	 * A processor's dead letters.
	 * @param processor the processor
	 * @return the latest dead letters, newest first, with counts; its {@code error} says
	 * why the topics could not be read, if they could not
	 */
	public Report read(ManagedProcessor processor) {
		Cached cached = this.cache.computeIfAbsent(processor.name(), (name) -> new Cached());
		synchronized (cached) {
			long now = this.nanoClock.getAsLong();
			Report last = cached.report;
			if (last == null || now - cached.readNanos >= this.maxAge.toNanos()) {
				cached.report = readNow(processor);
				cached.readNanos = now;
			}
			return cached.report;
		}
	}

	private Report readNow(ManagedProcessor processor) {
		Set<String> names = new TreeSet<>(this.topics.apply(processor.name()));
		Map<ErrorKind, Map<ErrorHandling, Long>> handledHere = this.handled.apply(processor.name());
		if (names.isEmpty()) {
			return new Report(Instant.now(), List.of(), List.of(), Map.of(), handledHere,
					processor.topology().isEmpty() ? "Processor '" + processor.name() + "' has not been started"
							: null);
		}
		KafkaConsumer<byte[], byte[]> consumer = null;
		try {
			consumer = consumer(processor);
			return read(consumer, names, handledHere);
		}
		catch (KafkaException ex) {
			return new Report(Instant.now(), names.stream().map((topic) -> new TopicCount(topic, 0, null)).toList(),
					List.of(), Map.of(), handledHere, "Could not read the dead-letter topics " + names + ": " + ex);
		}
		finally {
			if (consumer != null) {
				consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
			}
		}
	}

	private Report read(KafkaConsumer<byte[], byte[]> consumer, Set<String> names,
			Map<ErrorKind, Map<ErrorHandling, Long>> handledHere) {
		long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
		List<TopicPartition> partitions = new ArrayList<>();
		Map<String, Integer> partitionCounts = new TreeMap<>();
		for (String topic : names) {
			List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
			partitionCounts.put(topic, (infos != null) ? infos.size() : 0);
			if (infos != null) {
				infos.forEach((info) -> partitions.add(new TopicPartition(topic, info.partition())));
			}
		}
		Map<TopicPartition, Long> beginnings = partitions.isEmpty() ? Map.of()
				: consumer.beginningOffsets(partitions, remaining(deadline));
		Map<TopicPartition, Long> ends = partitions.isEmpty() ? Map.of()
				: consumer.endOffsets(partitions, remaining(deadline));
		Map<String, Long> retained = new TreeMap<>();
		names.forEach((topic) -> retained.put(topic, 0L));
		Map<TopicPartition, Long> toRead = new HashMap<>();
		for (TopicPartition partition : partitions) {
			long begin = beginnings.getOrDefault(partition, 0L);
			long end = ends.getOrDefault(partition, 0L);
			retained.merge(partition.topic(), Math.max(0, end - begin), Long::sum);
			if (end > begin) {
				toRead.put(partition, end);
			}
		}
		// Newest last out: a heap of the newest maxRecords seen so far.
		PriorityQueue<DeadLetter> newest = new PriorityQueue<>(NEWEST_FIRST.reversed());
		boolean timedOut = false;
		if (!toRead.isEmpty()) {
			consumer.assign(toRead.keySet());
			for (Map.Entry<TopicPartition, Long> entry : toRead.entrySet()) {
				long begin = beginnings.getOrDefault(entry.getKey(), 0L);
				consumer.seek(entry.getKey(), Math.max(begin, entry.getValue() - this.maxRecords));
			}
			Map<TopicPartition, Long> unfinished = new HashMap<>(toRead);
			while (!unfinished.isEmpty()) {
				if (System.nanoTime() > deadline) {
					timedOut = true;
					break;
				}
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					newest.add(deadLetter(record));
					if (newest.size() > this.maxRecords) {
						newest.poll();
					}
				}
				// Done with a partition once past its end as of the start of the read
				// (transaction markers take offsets too, so the position, not a count).
				unfinished.entrySet().removeIf((entry) -> consumer.position(entry.getKey()) >= entry.getValue());
			}
		}
		List<DeadLetter> latest = new ArrayList<>(newest);
		latest.sort(NEWEST_FIRST);
		Map<String, Long> kinds = new TreeMap<>();
		latest.forEach((letter) -> kinds.merge(letter.kind(), 1L, Long::sum));
		List<TopicCount> topics = new ArrayList<>();
		retained.forEach((topic, count) -> topics.add(new TopicCount(topic, partitionCounts.getOrDefault(topic, 0),
				(partitionCounts.getOrDefault(topic, 0) > 0) ? count : null)));
		return new Report(Instant.now(), topics, latest, kinds, handledHere,
				timedOut ? "Stopped reading after " + READ_TIMEOUT.toSeconds() + " s; the list may miss some" : null);
	}

	private static final Comparator<DeadLetter> NEWEST_FIRST = Comparator.comparingLong(DeadLetter::timestamp)
		.thenComparingLong(DeadLetter::offset)
		.reversed();

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(Duration.ofMillis(100).toNanos(), deadline - System.nanoTime()));
	}

	private static KafkaConsumer<byte[], byte[]> consumer(ManagedProcessor processor) {
		StreamsConfig config = ClientSettings.quietConfig(ClientSettings.of(processor.streamsProperties()));
		// The restore consumer's configuration: no group, the cluster's security settings,
		// read_committed under exactly-once.
		Map<String, Object> settings = config.getRestoreConsumerConfigs(processor.applicationId()
				+ "-dead-letter-browser");
		settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_FETCH_BYTES);
		settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_FETCH_BYTES / 4);
		settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
		settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
		settings.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
		settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
		return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

	private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record) {
		Map<String, Payload> headers = new LinkedHashMap<>();
		for (Header header : record.headers()) {
			int max = header.key().equals(DeadLetterHeaders.STACKTRACE) ? MAX_STACKTRACE_BYTES : MAX_SHOWN_BYTES;
			Payload value = Payload.of(header.value(), max);
			// A header present more than once: the last one counts, as with lastHeader.
			headers.remove(header.key());
			headers.put(header.key(), value);
		}
		return new DeadLetter(record.topic(), record.partition(), record.offset(), record.timestamp(),
				kind(record, headers), Payload.of(record.key(), MAX_SHOWN_BYTES),
				Payload.of(record.value(), MAX_SHOWN_BYTES), headers);
	}

	/**
	 * The kind from its header; dead letters written before it existed are named by what
	 * their other headers tell.
	 */
	private static String kind(ConsumerRecord<byte[], byte[]> record, Map<String, Payload> headers) {
		Payload kind = headers.get(DeadLetterHeaders.KIND);
		if (kind != null && kind.text() != null) {
			return kind.text();
		}
		if (headers.containsKey(DeadLetterHeaders.OUTPUT_TOPIC)) {
			return ErrorKind.PRODUCTION.tag();
		}
		if (headers.containsKey(DeadLetterHeaders.ASYNC_STEP)) {
			return ErrorKind.PROCESSING.tag();
		}
		return "unknown";
	}

	private static final class Cached {

		private @Nullable Report report;

		private long readNanos;

	}

	/**
	 * What a processor's dead-letter topics hold.
	 *
	 * @param readAt when they were read
	 * @param topics each dead-letter topic with how many records it retains
	 * @param latest the newest dead letters over all topics, newest first
	 * @param latestByKind how many of {@code latest} are of each kind
	 * @param handledHere the errors this instance has handled since it started, by kind
	 * and by what was done with them (dead letters among them)
	 * @param error why the topics could not be read (completely), or {@code null}
	 */
	public record Report(Instant readAt, List<TopicCount> topics, List<DeadLetter> latest,
			Map<String, Long> latestByKind, Map<ErrorKind, Map<ErrorHandling, Long>> handledHere,
			@Nullable String error) {

	}

	/**
	 * One dead-letter topic.
	 *
	 * @param topic its name
	 * @param partitions its partition count, 0 if it does not exist (yet)
	 * @param records the records it retains (its offsets from start to end, which under
	 * exactly-once count transaction markers too), {@code null} if it does not exist
	 */
	public record TopicCount(String topic, int partitions, @Nullable Long records) {

	}

	/**
	 * One dead letter.
	 *
	 * @param topic the dead-letter topic
	 * @param partition its partition
	 * @param offset its offset
	 * @param timestamp its timestamp (the failed record's)
	 * @param kind {@code deserialization}, {@code processing}, {@code production}, or
	 * {@code unknown} for a record without the kind header
	 * @param key the key
	 * @param value the value
	 * @param headers the headers by name
	 */
	public record DeadLetter(String topic, int partition, long offset, long timestamp, String kind,
			@Nullable Payload key, @Nullable Payload value, Map<String, Payload> headers) {

	}

	/**
	 * Bytes as shown: UTF-8 text when they are valid UTF-8, else base64, cut to a bound.
	 *
	 * @param text the text (of the bytes shown), or {@code null} when base64 is
	 * @param base64 the bytes shown in base64, or {@code null} when text is
	 * @param size the size of the whole value in bytes
	 * @param truncated whether only the first bytes are shown
	 */
	public record Payload(@Nullable String text, @Nullable String base64, int size, boolean truncated) {

		static @Nullable Payload of(byte @Nullable [] bytes, int max) {
			if (bytes == null) {
				return null;
			}
			boolean truncated = bytes.length > max;
			byte[] shown = truncated ? Arrays.copyOf(bytes, max) : bytes;
			String text = utf8(shown, truncated);
			return (text != null) ? new Payload(text, null, bytes.length, truncated)
					: new Payload(null, Base64.getEncoder().encodeToString(shown), bytes.length, truncated);
		}

		/**
		 * The text, if the bytes are UTF-8; a cut may split the last character, which is
		 * then dropped.
		 */
		private static @Nullable String utf8(byte[] bytes, boolean truncated) {
			for (int drop = 0; drop <= (truncated ? 3 : 0) && drop < bytes.length + 1; drop++) {
				try {
					return StandardCharsets.UTF_8.newDecoder()
						.onMalformedInput(CodingErrorAction.REPORT)
						.onUnmappableCharacter(CodingErrorAction.REPORT)
						.decode(ByteBuffer.wrap(bytes, 0, bytes.length - drop))
						.toString();
				}
				catch (CharacterCodingException ex) {
					// not text, or a character cut short: try without the last byte
				}
			}
			return null;
		}

	}

}
