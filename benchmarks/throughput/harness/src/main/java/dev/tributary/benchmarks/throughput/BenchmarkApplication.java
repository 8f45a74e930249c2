package dev.tributary.benchmarks.throughput;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The Spring Boot application of the Tributary variant: auto-configuration and one
 * {@code @StreamProcessor}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ BenchmarkProcessor.class, SampleSecurity.class })
class BenchmarkApplication {

	@Bean
	StartClock startClock() {
		return new StartClock();
	}

}
