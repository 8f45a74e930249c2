package dev.tributary.samples.orders;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /generator/late-order?lateBy=8m[&region=tuscany]}: the generator places one
 * local order that long in the past, and the answer says which hour it belongs to, when
 * that hour closes, and how to query it. A bad parameter is a 400 saying what is valid.
 */
@RestController
@ConditionalOnBooleanProperty(name = "orders.generator.enabled", matchIfMissing = true)
class LateOrderController {

	private final OrderGenerator generator;

	LateOrderController(OrderGenerator generator) {
		this.generator = generator;
	}

	@PostMapping("/generator/late-order")
	Map<String, Object> lateOrder(@RequestParam String lateBy, @RequestParam(required = false) @Nullable String region)
			throws Exception {
		Duration late = parse(lateBy);
		if (region != null && !Shop.REGIONS.contains(region)) {
			throw new IllegalArgumentException("'region' must be one of " + Shop.REGIONS + ", not '" + region + "'");
		}
		Order order = this.generator.sendLateOrder(late, region);
		String buyerRegion = Shop.USERS.get(order.user()).address();
		Instant hour = order.orderTime().truncatedTo(ChronoUnit.HOURS);
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("order", order);
		answer.put("region", buyerRegion);
		answer.put("hour", hour.toString());
		// The hour takes orders until stream time (the latest order time seen) reaches this.
		answer.put("closesAt", hour.plus(LocalSales.HOUR).plus(LocalSales.GRACE).toString());
		answer.put("query", "/actuator/statestores/" + LocalSales.NAME + "/" + LocalSales.STORE + "?key=" + buyerRegion
				+ "&timeFrom=" + hour + "&timeTo=" + hour);
		return answer;
	}

	private static Duration parse(String lateBy) {
		try {
			Duration late = DurationStyle.detectAndParse(lateBy);
			if (!late.isNegative()) {
				return late;
			}
		}
		catch (IllegalArgumentException ex) {
			// Answered below, with what would be valid.
		}
		throw new IllegalArgumentException("'lateBy' must be a duration such as 8m, 2h or PT1H30M, not '" + lateBy + "'");
	}

	@ExceptionHandler
	ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException ex) {
		return ResponseEntity.badRequest().body(Map.of("status", 400, "error", String.valueOf(ex.getMessage())));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, Object>> missingParameter(MissingServletRequestParameterException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("status", 400, "error", "'" + ex.getParameterName() + "' is required, such as lateBy=8m"));
	}

}
