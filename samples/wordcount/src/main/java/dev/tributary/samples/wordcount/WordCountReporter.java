package dev.tributary.samples.wordcount;

import java.util.List;
import java.util.StringJoiner;

import dev.tributary.runtime.ProcessorRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Logs a few counts from the {@code word-counts} store every few seconds, read through
 * the processor registry, so you can watch them grow.
 */
@Component
class WordCountReporter {

	private static final Log logger = LogFactory.getLog(WordCountReporter.class);

	private static final List<String> WORDS = List.of("kafka", "streams", "the", "word");

	private final ProcessorRegistry processors;

	WordCountReporter(ProcessorRegistry processors) {
		this.processors = processors;
	}

	@Scheduled(fixedRateString = "${wordcount.report.interval:5s}", initialDelayString = "5s")
	void report() {
		KafkaStreams streams = this.processors.get("word-count").kafkaStreams().orElse(null);
		if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
			return;
		}
		ReadOnlyKeyValueStore<String, Long> counts = streams
			.store(StoreQueryParameters.fromNameAndType("word-counts", QueryableStoreTypes.keyValueStore()));
		StringJoiner line = new StringJoiner(", ", "word-counts: ", "");
		WORDS.forEach((word) -> line.add(word + "=" + counts.get(word)));
		logger.info(line);
	}

}
