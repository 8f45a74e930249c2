package dev.tributary.samples.payments;

import java.time.Duration;
import java.util.Map;

/**
 * The shop's settings as {@code application.yml} sets them, with a catalog of the test's own.
 */
final class TestShop {

	private TestShop() {
	}

	static ShopProperties properties(Map<String, Integer> catalog) {
		return new ShopProperties(catalog,
				new ShopProperties.Inventory(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO),
				new ShopProperties.Requests(Duration.ofMinutes(5), Duration.ofHours(1)),
				new ShopProperties.Generator(false, 4, Duration.ofMinutes(2), Duration.ofSeconds(30), 10));
	}

}
