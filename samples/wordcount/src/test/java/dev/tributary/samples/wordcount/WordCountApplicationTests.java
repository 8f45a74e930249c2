package dev.tributary.samples.wordcount;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.test.InProcessKafka;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole sample as the README runs it: generator, word count and Actuator together.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "wordcount.generator.interval=50ms")
@InProcessKafka(partitions = 4)
class WordCountApplicationTests {

	@Autowired
	ProcessorRegistry processors;

	@LocalServerPort
	int port;

	@Test
	void keepsCountingTheGeneratedWords() {
		ReadOnlyKeyValueStore<String, Long> counts = this.processors.get("word-count")
			.kafkaStreams()
			.orElseThrow()
			.store(StoreQueryParameters.fromNameAndType("word-counts", QueryableStoreTypes.keyValueStore()));
		await().atMost(Duration.ofSeconds(60)).until(() -> counts.get("kafka") != null);
		long first = counts.get("kafka");
		await().atMost(Duration.ofSeconds(60)).until(() -> counts.get("kafka") > first);
	}

	@Test
	void reportsTheProcessorInHealth() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"streams\"")
			.contains("\"word-count\"")
			.contains("\"applicationId\":\"wordcount-word-count\"");
	}

}
