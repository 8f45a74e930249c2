package dev.tributary.samples.wordcount;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.test.InProcessKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against the running sample
 * on a real broker: one browser and one application for the class. The operator signs in
 * last, since the browser then keeps the credentials.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "wordcount.generator.interval=50ms", "wordcount.generator.latin1-every=40" })
@InProcessKafka(partitions = 4)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

	private static HeadlessChromium browser;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	ProcessorRegistry processors;

	@BeforeAll
	static void startBrowser() {
		browser = new HeadlessChromium();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@AfterEach
	void noConsoleErrors() {
		assertThat(browser.consoleErrors()).as("the browser console's errors").isEmpty();
	}

	@Test
	@Order(1)
	void loadsAndListsTheProcessorsReadOnlyForAnAnonymousUser() {
		browser.open(dashboard("#/processors"));
		WebElement card = browser.await(By.cssSelector("[data-processor='word-count']"));
		browser.awaitText(By.cssSelector("[data-processor='word-count'] [data-role='state']"), "RUNNING");
		assertThat(card.findElement(By.cssSelector("h2")).getText()).isEqualTo("word-count");
		assertThat(card.getText()).contains("wordcount-word-count", "at-least-once", "StreamThread-1");
		// Reading is open to anyone; acting needs the operator: the buttons are there, disabled.
		assertThat(card.findElement(By.cssSelector("[data-role='read-only']")).getText()).contains("sign in");
		assertThat(card.findElements(By.cssSelector("button[data-action]"))).hasSize(6)
			.allSatisfy((button) -> assertThat(button.isEnabled()).isFalse());
		assertThat(browser.find(By.id("sign-in")).isDisplayed()).isTrue();
		browser.screenshots("processors", () -> browser.await(By.cssSelector("[data-processor='word-count']")));
	}

	@Test
	@Order(2)
	void drawsOneGraphNodePerTopologyNode() throws Exception {
		String detail = get("/actuator/streams/word-count");
		List<String> topologyNodes = new ArrayList<>();
		for (String kind : List.of("sources", "processors", "sinks")) {
			topologyNodes.addAll(JsonPath.<List<String>>read(detail, "$.topology.subtopologies[*]." + kind + "[*].name"));
		}
		browser.open(dashboard("#/topology/word-count"));
		browser.until((driver) -> browser.script("return window.tributaryDashboard != null"));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> drawn = (List<Map<String, Object>>) browser.script(
				"return window.tributaryDashboard.topology.nodes().map((n) => ({kind: n.data('kind'), name: n.data('name')}))");
		List<Object> drawnTopologyNodes = drawn.stream()
			.filter((node) -> List.of("source", "processor", "sink").contains(node.get("kind")))
			.map((node) -> node.get("name"))
			.toList();
		assertThat(drawnTopologyNodes).containsExactlyInAnyOrderElementsOf(topologyNodes);
		assertThat(drawn).filteredOn((node) -> "store".equals(node.get("kind")))
			.extracting((node) -> node.get("name"))
			.containsExactly("word-counts");
		assertThat(drawn).filteredOn((node) -> "topic".equals(node.get("kind")))
			.extracting((node) -> node.get("name"))
			.containsExactly("word-counts-repartition");
		browser.screenshots("topology", () -> browser.script("window.tributaryDashboard.topology.resize();"
				+ "window.tributaryDashboard.topology.fit(undefined, 20)"));
	}

	@Test
	@Order(3)
	void looksAKeyUpAndShowsTheValueTheQueryEndpointGives() throws Exception {
		String query = "/actuator/statestores/word-count/word-counts?key=kafka";
		await().atMost(Duration.ofSeconds(60)).until(() -> status(query) == 200);
		long before = JsonPath.<Number>read(get(query), "$.value").longValue();
		browser.open(dashboard("#/stores/word-count"));
		// The store opens on its first page of keys, in order.
		browser.await(By.cssSelector("#store-entries [data-role='key']"));
		browser.screenshots("stores", () -> browser.await(By.cssSelector("#store-entries")));
		browser.find(By.cssSelector("[data-mode='key']")).click();
		browser.await(By.id("store-key")).sendKeys("kafka");
		browser.find(By.id("store-submit")).click();
		WebElement answer = browser.await(By.cssSelector("[data-role='answer']"));
		String answered = get(query);
		long shown = Long.parseLong(answer.findElement(By.cssSelector("[data-role='value']")).getDomAttribute("data-json"));
		// The count keeps growing: what the page shows lies between the endpoint's answers
		// before and after.
		assertThat(shown).isBetween(before, JsonPath.<Number>read(answered, "$.value").longValue());
		assertThat(answer.findElement(By.cssSelector("[data-role='key']")).getText()).isEqualTo("kafka");
		assertThat(answer.findElement(By.cssSelector("[data-role='host']")).getText())
			.isEqualTo(JsonPath.read(answered, "$.host"));
		assertThat(answer.findElement(By.cssSelector("[data-role='stale']")).getText()).isEqualToIgnoringCase("current");
		browser.screenshots("store-key", () -> browser.await(By.cssSelector("[data-role='answer']")));
	}

	@Test
	@Order(4)
	void showsTheClusterAndTheLagOfEveryPartition() {
		browser.open(dashboard("#/cluster/word-count"));
		WebElement instance = browser.await(By.cssSelector("#instances [data-host]"));
		assertThat(instance.getText()).contains("this instance", "lines-0", "lines-3");
		browser.await(By.cssSelector("#store-placement [data-store='word-counts']"));
		browser.screenshots("cluster", () -> browser.await(By.id("instances")));
		browser.open(dashboard("#/progress/word-count"));
		for (int partition = 0; partition < 4; partition++) {
			browser.await(By.cssSelector("#lag [data-partition='lines-" + partition + "']"));
			browser.await(By.cssSelector("#lag [data-partition='wordcount-word-count-word-counts-repartition-"
					+ partition + "']"));
		}
		browser.await(By.cssSelector("#restoration [data-store='word-counts']"));
		browser.screenshots("progress", () -> browser.await(By.id("lag")));
	}

	@Test
	@Order(5)
	void showsADeadLetterWithItsHeadersInTheErrorsView() throws Exception {
		// The generator writes every 40th line in Latin-1, which the word count cannot read.
		browser.open(dashboard("#/errors/word-count"));
		WebElement letter = browser.until((driver) -> driver.findElements(By.cssSelector("#dead-letters [data-letter]"))
			.stream()
			.findFirst()
			.orElse(null));
		// Reads are open to anyone in the sample: an anonymous user sees where and how a
		// record failed, not what it held.
		assertThat(letter.getText()).contains("DESERIALIZATION", "SerializationException")
			.doesNotContain("not UTF-8 text");
		browser.await(By.id("values-hidden"));
		letter.findElement(By.tagName("summary")).click();
		assertThat(letter.findElement(By.cssSelector("table.headers")).getText())
			.contains("__streams.errors.exception", "org.apache.kafka.common.errors.SerializationException",
					"__tributary.errors.kind", "deserialization", "__streams.errors.topic", "lines",
					"__streams.errors.message", "******")
			.doesNotContain("not UTF-8 text");
		assertThat(browser.find(By.cssSelector("#error-counts [data-kind='deserialization'] [data-outcome='dead-letter']"))
			.getText()).isNotEqualTo("0");
		browser.screenshots("errors", () -> browser.await(By.cssSelector("#dead-letters [data-letter][open]")));
		// A signed-in user is shown the contents (management.endpoint.streams.show-values).
		String signedIn = get("/actuator/streams/word-count/dead-letters", "operator:operator");
		assertThat(JsonPath.<Boolean>read(signedIn, "$.valuesShown")).isTrue();
		assertThat(JsonPath.<List<String>>read(signedIn, "$.latest[*].headers['__streams.errors.message'].text"))
			.anySatisfy((message) -> assertThat(message).contains("not UTF-8 text"));
	}

	@Test
	@Order(6)
	void pausesAndResumesAsTheOperator() {
		// The sample's operator, through the page's sign-in (the sample's HTTP Basic).
		browser.open("http://operator:operator@localhost:" + this.port + "/tributary/sign-in");
		browser.awaitText(By.id("user"), "Signed in as operator");
		By state = By.cssSelector("[data-processor='word-count'] [data-role='state']");
		browser.awaitText(state, "RUNNING");
		browser.await(By.cssSelector("[data-processor='word-count'] button[data-action='pause']:enabled")).click();
		browser.awaitText(state, "PAUSED");
		assertThat(this.processors.get("word-count").isPaused()).isTrue();
		browser.screenshots("processors-paused", () -> browser.await(state));
		browser.await(By.cssSelector("[data-processor='word-count'] button[data-action='resume']:enabled")).click();
		browser.awaitText(state, "RUNNING");
		assertThat(this.processors.get("word-count").isPaused()).isFalse();
	}

	private String dashboard(String hash) {
		return "http://localhost:" + this.port + "/tributary/" + hash;
	}

	private String get(String path) throws Exception {
		return get(path, null);
	}

	private String get(String path, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private int status(String path) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
