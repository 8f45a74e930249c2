package dev.tributary.samples.enricher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A security company's activity enricher: user activity from several cloud apps,
 * normalized to one schema, enriched through a slow threat-intelligence API in an async
 * step, and counted per user in a queryable store.
 */
@SpringBootApplication
@EnableScheduling
public class EnricherApplication {

	public static void main(String[] args) {
		SpringApplication.run(EnricherApplication.class, args);
	}

}
