package dev.tributary.samples.payments;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catalog the shop cannot work with fails start-up, naming the key.
 */
class ShopPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Settings.class);

	@Test
	void bindsTheCatalogAndTheDefaults() {
		this.runner.withPropertyValues("shop.catalog.mug=3").run((context) -> {
			ShopProperties shop = context.getBean(ShopProperties.class);
			assertThat(shop.catalog()).containsExactlyEntriesOf(Map.of("mug", 3));
			assertThat(shop.inventory().paymentWindow()).hasSeconds(30);
			assertThat(shop.inventory().recordDelay()).isZero();
		});
	}

	@Test
	void refusesAnEmptyCatalogOrANegativeStock() {
		this.runner.run((context) -> assertThat(rootCause(context.getStartupFailure()))
			.hasMessageContaining("shop.catalog lists no item"));
		this.runner.withPropertyValues("shop.catalog.mug=-1")
			.run((context) -> assertThat(rootCause(context.getStartupFailure()))
				.hasMessageContaining("shop.catalog.mug is -1"));
	}

	@Test
	void refusesARetentionShorterThanAMinuteAndItsGrace() {
		this.runner.withPropertyValues("shop.catalog.mug=3", "shop.requests.grace=5m", "shop.requests.retention=3m")
			.run((context) -> assertThat(rootCause(context.getStartupFailure()))
				.hasMessageContaining("shop.requests.retention (PT3M) must be at least"));
	}

	private static Throwable rootCause(Throwable failure) {
		assertThat(failure).as("start-up failure").isNotNull();
		return NestedExceptionUtils.getMostSpecificCause(failure);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ShopProperties.class)
	static class Settings {

	}

}
