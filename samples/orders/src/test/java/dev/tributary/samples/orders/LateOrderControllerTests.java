package dev.tributary.samples.orders;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

import dev.tributary.query.StateStoreQueryService;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code POST /generator/late-order}: what it sends and what it answers, without a broker.
 */
class LateOrderControllerTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@SuppressWarnings("unchecked")
	private final KafkaTemplate<String, String> template = mock(KafkaTemplate.class);

	private final MockMvc mvc = MockMvcBuilders
		.standaloneSetup(new LateOrderController(
				new OrderGenerator(this.template, this.json, mock(StateStoreQueryService.class))))
		.build();

	@Test
	void placesALocalOrderThatLongAgoAndSaysWhenItsHourCloses() throws Exception {
		when(this.template.send(eq("orders"), any(), any())).thenReturn(CompletableFuture.completedFuture(null));
		Instant before = Instant.now();

		String answer = this.mvc.perform(post("/generator/late-order?lateBy=2h&region=tuscany"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		ArgumentCaptor<String> sent = ArgumentCaptor.forClass(String.class);
		verify(this.template).send(eq("orders"), any(), sent.capture());
		Order order = this.json.readValue(sent.getValue(), Order.class);
		assertThat(Shop.USERS.get(order.user()).address()).isEqualTo("tuscany");
		assertThat(Shop.ITEMS.get(order.item()).origin()).isEqualTo("tuscany");
		assertThat(order.orderTime()).isBetween(before.minus(Duration.ofHours(2)).minusSeconds(1),
				Instant.now().minus(Duration.ofHours(2)));
		JsonNode body = this.json.readTree(answer);
		Instant hour = order.orderTime().truncatedTo(ChronoUnit.HOURS);
		assertThat(this.json.treeToValue(body.get("order"), Order.class)).isEqualTo(order);
		assertThat(body.get("region").asString()).isEqualTo("tuscany");
		assertThat(body.get("hour").asString()).isEqualTo(hour.toString());
		assertThat(body.get("closesAt").asString()).isEqualTo(hour.plus(Duration.ofMinutes(70)).toString());
		assertThat(body.get("query").asString()).isEqualTo("/actuator/statestores/local-sales/local-sales-per-hour"
				+ "?key=tuscany&timeFrom=" + hour + "&timeTo=" + hour);
	}

	@Test
	void answersABadParameterWith400SayingWhatIsValid() throws Exception {
		this.mvc.perform(post("/generator/late-order?lateBy=soon"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("'lateBy' must be a duration such as 8m, 2h or PT1H30M, not 'soon'"));
		this.mvc.perform(post("/generator/late-order?lateBy=-5m"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("'lateBy' must be a duration such as 8m, 2h or PT1H30M, not '-5m'"));
		this.mvc.perform(post("/generator/late-order?lateBy=5m&region=mars"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error")
				.value("'region' must be one of [andalusia, bavaria, provence, tuscany], not 'mars'"));
		this.mvc.perform(post("/generator/late-order"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("'lateBy' is required, such as lateBy=8m"));
		verifyNoInteractions(this.template);
	}

}
