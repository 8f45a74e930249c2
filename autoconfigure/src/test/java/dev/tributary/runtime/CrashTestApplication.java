package dev.tributary.runtime;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The application {@link CrashRecoveryIntegrationTests} runs in a child JVM and kills (and
 * {@link BrokerRestartIntegrationTests} runs in-process while its broker restarts).
 * Its one processor makes double processing and loss visible: it echoes every input
 * value to {@code crash.echo-topic} and emits the running count per key to
 * {@code crash.output-topic} (with record caching off, so every update is emitted).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CrashTestApplication.Counter.class)
public class CrashTestApplication {

	public static void main(String[] args) {
		new SpringApplicationBuilder(CrashTestApplication.class).web(WebApplicationType.NONE).run(args);
	}

	@StreamProcessor("counter")
	static class Counter {

		private final String input;

		private final String echo;

		private final String output;

		Counter(@Value("${crash.input-topic}") String input, @Value("${crash.echo-topic}") String echo,
				@Value("${crash.output-topic}") String output) {
			this.input = input;
			this.echo = echo;
			this.output = output;
		}

		void topology(StreamsBuilder builder) {
			KStream<String, String> records = builder.stream(this.input, Consumed.with(Serdes.String(), Serdes.String()));
			records.to(this.echo, Produced.with(Serdes.String(), Serdes.String()));
			records.groupByKey()
				.count(Materialized.as("counts"))
				.toStream()
				.to(this.output, Produced.with(Serdes.String(), Serdes.Long()));
		}

	}

}
