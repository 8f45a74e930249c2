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
	void letsAnyoneReadButOnlyTheOperatorChangeProcessors() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String url = "http://localhost:" + this.port + "/actuator/streams/word-count";
		assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
		HttpRequest anonymousPause = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"pause\"}"))
			.build();
		assertThat(http.send(anonymousPause, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
		String credentials = java.util.Base64.getEncoder().encodeToString("operator:operator".getBytes());
		for (String action : new String[] { "pause", "resume" }) {
			HttpRequest operator = HttpRequest.newBuilder(URI.create(url))
				.header("Content-Type", "application/json")
				.header("Authorization", "Basic " + credentials)
				.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\"}"))
				.build();
			assertThat(http.send(operator, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void exposesPrometheusMetricsTaggedByProcessor() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("tributary_processor_state{")
			.contains("processor=\"word-count\"")
			.contains("kafka_stream_");
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
