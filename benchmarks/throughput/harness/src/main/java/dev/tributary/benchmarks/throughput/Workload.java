package dev.tributary.benchmarks.throughput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * A topology under test and the input it consumes. Both variants build their topology
 * from {@link #define}, so they run the very same code with the very same serdes.
 */
public enum Workload {

	/**
	 * Every record through {@code mapValues} to the output: the framework's per-record
	 * overhead, if it had any, would show here first.
	 */
	PASS_THROUGH("pass-through", "pass-through (`mapValues`), 100-byte values", 1_500_000) {

		@Override
		ProducerRecord<byte[], byte[]> record(String topic, long index, long timestamp, SplittableRandom random) {
			return new ProducerRecord<>(topic, null, timestamp, ByteBuffer.allocate(Long.BYTES).putLong(index).array(),
					payload(random));
		}

		@Override
		public void define(StreamsBuilder builder, String input, String output) {
			builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
				.mapValues((value) -> value)
				.to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
		}

	},

	/**
	 * Lines split into words, repartitioned by word and counted in a RocksDB store.
	 */
	WORD_COUNT("word-count", "word count, RocksDB store (" + Workload.WORDS_PER_LINE + " words a line)", 100_000) {

		@Override
		ProducerRecord<byte[], byte[]> record(String topic, long index, long timestamp, SplittableRandom random) {
			StringBuilder line = new StringBuilder();
			for (int word = 0; word < WORDS_PER_LINE; word++) {
				if (word > 0) {
					line.append(' ');
				}
				line.append(word(random.nextInt(VOCABULARY)));
			}
			return new ProducerRecord<>(topic, null, timestamp, null, line.toString().getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public void define(StreamsBuilder builder, String input, String output) {
			builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
				.flatMapValues((line) -> Arrays.asList(line.split(" ")))
				.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
				.count(Materialized.as(WORD_COUNT_STORE))
				.toStream()
				.to(output, Produced.with(Serdes.String(), Serdes.Long()));
		}

	},

	/**
	 * Keyed 100-byte readings counted per key in one-minute tumbling windows, in a
	 * RocksDB window store.
	 */
	WINDOWED_COUNT("windowed-count", "windowed count, 1-minute tumbling windows, RocksDB window store, 100-byte values",
			500_000) {

		@Override
		ProducerRecord<byte[], byte[]> record(String topic, long index, long timestamp, SplittableRandom random) {
			byte[] key = ("sensor-" + random.nextInt(KEYS)).getBytes(StandardCharsets.UTF_8);
			return new ProducerRecord<>(topic, null, timestamp, key, payload(random));
		}

		@Override
		public void define(StreamsBuilder builder, String input, String output) {
			builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
				.groupByKey()
				.windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(10)))
				.count(Materialized.as("windowed-counts"))
				.toStream((window, count) -> window.key() + "@" + window.window().start())
				.to(output, Produced.with(Serdes.String(), Serdes.Long()));
		}

	};

	/**
	 * The word-count store, queried by the interactive-query benchmark.
	 */
	public static final String WORD_COUNT_STORE = "word-counts";

	static final int WORDS_PER_LINE = 8;

	/**
	 * Distinct words in the word-count input.
	 */
	public static final int VOCABULARY = 50_000;

	static final int KEYS = 10_000;

	static final int VALUE_BYTES = 100;

	private final String id;

	private final String description;

	private final int defaultRecords;

	Workload(String id, String description, int defaultRecords) {
		this.id = id;
		this.description = description;
		this.defaultRecords = defaultRecords;
	}

	/**
	 * A short name for application ids and topic names.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * What the topology does, for the report.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * How many input records a full run uses: enough that one measurement takes several
	 * seconds on a small machine.
	 * @return the record count
	 */
	public int defaultRecords() {
		return this.defaultRecords;
	}

	/**
	 * Input record number {@code index}, serialized, with the given timestamp.
	 */
	abstract ProducerRecord<byte[], byte[]> record(String topic, long index, long timestamp, SplittableRandom random);

	/**
	 * Adds the topology to a builder.
	 * @param builder the builder
	 * @param input the input topic
	 * @param output the output topic
	 */
	public abstract void define(StreamsBuilder builder, String input, String output);

	/**
	 * Word number {@code index} of the vocabulary.
	 * @param index between 0 and {@link #VOCABULARY}
	 * @return the word
	 */
	public static String word(int index) {
		return "w" + Integer.toString(index, 36);
	}

	private static byte[] payload(SplittableRandom random) {
		byte[] value = new byte[VALUE_BYTES];
		for (int i = 0; i < value.length; i++) {
			value[i] = (byte) ('a' + random.nextInt(26));
		}
		return value;
	}

}
