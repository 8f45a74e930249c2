package dev.tributary.benchmarks.plainwordcount;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The word-count sample as a plain Spring Boot application, without Tributary: the same
 * topology, configuration, web server, Actuator and store reporter, with its
 * {@code KafkaStreams} built and started by hand. The start-up benchmark measures the two
 * side by side.
 */
@SpringBootApplication
@EnableScheduling
public class PlainWordCountApplication {

	public static void main(String[] args) {
		SpringApplication.run(PlainWordCountApplication.class, args);
	}

}
