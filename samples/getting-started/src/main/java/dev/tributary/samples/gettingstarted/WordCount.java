package dev.tributary.samples.gettingstarted;

import java.util.List;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

@StreamProcessor("word-count")
class WordCount {

    void topology(StreamsBuilder builder) {
        builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
               .flatMapValues(line -> List.of(line.toLowerCase().split("\\W+")))
               .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
               .count(Materialized.as("word-counts"))
               .toStream().to("word-count-output", Produced.with(Serdes.String(), Serdes.Long()));
    }
}
