package dev.tributary.samples.wordcount;

import dev.tributary.test.StreamProcessorTest;
import dev.tributary.test.TestKafka;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * Integration test: the processor on a real in-process broker, nothing else of the app.
 */
@StreamProcessorTest(topics = "lines")
class WordCountIntegrationTests {

	@Autowired
	TestKafka kafka;

	@Test
	void countsWordsArrivingOnTheLinesTopic() {
		this.kafka.send("lines", "to be or not to be");

		this.kafka.awaitStoreValue("word-count", "word-counts", "to", 2L);
		this.kafka.awaitStoreValue("word-count", "word-counts", "not", 1L);
	}

}
