package dev.tributary.benchmarks.plainwordcount;

import java.util.List;
import java.util.StringJoiner;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Logs a few counts from the {@code word-counts} store every few seconds, like the
 * sample's reporter.
 */
@Component
class WordCountReporter {

	private static final Log logger = LogFactory.getLog(WordCountReporter.class);

	private static final List<String> WORDS = List.of("kafka", "streams", "the", "word");

	private final WordCountStreams wordCount;

	WordCountReporter(WordCountStreams wordCount) {
		this.wordCount = wordCount;
	}

	@Scheduled(fixedRateString = "${wordcount.report.interval:5s}", initialDelayString = "5s")
	void report() {
		KafkaStreams streams = this.wordCount.streams();
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
