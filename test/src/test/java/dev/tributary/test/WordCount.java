package dev.tributary.test;

import java.util.Arrays;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

@StreamProcessor("word-count")
class WordCount {

	private final StopWords stopWords;

	WordCount(StopWords stopWords) {
		this.stopWords = stopWords;
	}

	void topology(StreamsBuilder builder) {
		builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
			.flatMapValues((line) -> Arrays.asList(line.toLowerCase().split("\\W+")))
			.filter((key, word) -> !word.isEmpty() && !this.stopWords.isStopWord(word))
			.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
			.count(Materialized.as("word-counts"))
			.toStream()
			.to("word-count-output", Produced.with(Serdes.String(), Serdes.Long()));
	}

}
