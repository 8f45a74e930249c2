package dev.tributary.samples.payments;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A shop's payments, stock and web traffic: one input topic, three processors. The
 * payments processor validates payments; the inventory processor reserves stock for
 * orders it has validated; the requests processor counts web requests per path and
 * minute. A generator plays the shop.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(ShopProperties.class)
public class ShopApplication {

	public static void main(String[] args) {
		SpringApplication.run(ShopApplication.class, args);
	}

}
