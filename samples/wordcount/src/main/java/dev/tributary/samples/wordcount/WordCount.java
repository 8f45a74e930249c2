package dev.tributary.samples.wordcount;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Counts words: reads text lines from {@code lines}, keeps a running count per word in
 * the queryable store {@code word-counts} and publishes every change to
 * {@code word-count-output}. A line that is not UTF-8 text (a producer that wrote another
 * encoding) cannot be read: it goes to the dead-letter topic instead of being counted
 * wrong.
 */
@StreamProcessor("word-count")
class WordCount {

	static final Serde<String> UTF8_LINES = Serdes.serdeFrom(new StringSerializer(), new StrictUtf8Deserializer());

	void topology(StreamsBuilder builder) {
		builder.stream("lines", Consumed.with(Serdes.String(), UTF8_LINES))
			.flatMapValues((line) -> Arrays.asList(line.toLowerCase().split("\\W+")))
			.filter((key, word) -> !word.isEmpty())
			.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
			.count(Materialized.as("word-counts"))
			.toStream()
			.to("word-count-output", Produced.with(Serdes.String(), Serdes.Long()));
	}

	/**
	 * Reads UTF-8 and refuses anything else, where Kafka's own string deserializer would
	 * turn bad bytes into replacement characters and count them as words.
	 */
	static final class StrictUtf8Deserializer implements Deserializer<String> {

		@Override
		public String deserialize(String topic, byte[] data) {
			if (data == null) {
				return null;
			}
			try {
				return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
			}
			catch (CharacterCodingException ex) {
				throw new SerializationException("A line on '" + topic + "' is not UTF-8 text", ex);
			}
		}

	}

}
