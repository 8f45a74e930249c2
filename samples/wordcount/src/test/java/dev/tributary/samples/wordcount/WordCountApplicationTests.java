package dev.tributary.samples.wordcount;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.query.KeyValuePage;
import dev.tributary.query.QueryException;
import dev.tributary.query.StateStoreQueryService;
import dev.tributary.test.InProcessKafka;
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
	StateStoreQueryService queries;

	@LocalServerPort
	int port;

	@Test
	void keepsCountingTheGeneratedWordsQueryableOverHttp() throws Exception {
		String url = "http://localhost:" + this.port + "/actuator/statestores/word-count/word-counts?key=kafka";
		await().atMost(Duration.ofSeconds(60)).until(() -> count(url) > 0);
		long first = count(url);
		await().atMost(Duration.ofSeconds(60)).until(() -> count(url) > first);
	}

	@Test
	void pagesThroughTheCountsInWordOrder() throws Exception {
		// Until the processor runs, queries answer unavailable.
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptionsInstanceOf(QueryException.class)
			.until(() -> this.queries.all("word-count", "word-counts", 5, null).entries().size() == 5);
		KeyValuePage page = this.queries.all("word-count", "word-counts", 5, null);
		List<String> words = page.entries().stream().map(KeyValuePage.Entry::key).toList();
		assertThat(words).isSorted();
		assertThat(page.nextCursor()).isNotNull();
	}

	private long count(String url) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
		return (response.statusCode() == 200) ? ((Number) JsonPath.read(response.body(), "$.value")).longValue() : 0;
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
		// What a cross-site page could send with the operator's cached credentials: no JSON,
		// the action in the query string. Without a CSRF token it is refused.
		HttpRequest crossSite = HttpRequest.newBuilder(URI.create(url + "?action=pause"))
			.header("Content-Type", "text/plain")
			.header("Authorization", "Basic " + credentials)
			.POST(HttpRequest.BodyPublishers.ofString(""))
			.build();
		assertThat(http.send(crossSite, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
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
		// The RocksDB budget's meters, bound by Spring Boot to its registry like any MeterBinder.
		assertThat(response.body()).contains("tributary_rocksdb_block_cache_capacity_bytes 1.34217728E8")
			.contains("tributary_rocksdb_store_open_instances{processor=\"word-count\",store=\"word-counts\"}");
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
