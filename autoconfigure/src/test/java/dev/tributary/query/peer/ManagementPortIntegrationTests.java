package dev.tributary.query.peer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.query.ApplicationServerAdvertiser;
import dev.tributary.runtime.ProcessorRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances that serve Actuator on a separate, random management port: each
 * advertises that port, forwarded queries reach the other's management server, and
 * 503 answers there carry {@code Retry-After}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementPortIntegrationTests {

	private static TwoInstances instances;

	@BeforeAll
	static void start() {
		instances = TwoInstances.start(List.of(), "management.server.port=0",
				"tributary.query.peer.secret=" + TwoInstances.SECRET);
	}

	@AfterAll
	static void stop() {
		if (instances != null) {
			instances.close();
		}
	}

	@Test
	@Order(1)
	void eachInstanceAdvertisesItsManagementPort() {
		for (ConfigurableApplicationContext context : List.of(instances.first(), instances.second())) {
			int applicationPort = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			int managementPort = TwoInstances.managementPort(context);
			assertThat(managementPort).isNotEqualTo(applicationPort);
			assertThat(context.getBean(ApplicationServerAdvertiser.class).advertised("words").port())
				.isEqualTo(managementPort);
		}
	}

	@Test
	@Order(2)
	void everyKeyIsAnsweredFromEitherInstance() throws Exception {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (ConfigurableApplicationContext context : List.of(instances.first(), instances.second())) {
				for (Map.Entry<String, Long> entry : instances.expected().entrySet()) {
					HttpResponse<String> response = instances.get(context,
							"/statestores/words/counts?key=" + entry.getKey());
					assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
					assertThat(JsonPath.<Integer>read(response.body(), "$.value"))
						.isEqualTo(entry.getValue().intValue());
				}
			}
		});
	}

	@Test
	@Order(3)
	void aServiceUnavailableAnswerOfTheManagementServerCarriesRetryAfter() throws Exception {
		instances.second().getBean(ProcessorRegistry.class).stop("words");
		HttpResponse<String> response = instances.get(instances.second(), "/statestores/words/counts?key=word1");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
	}

}
