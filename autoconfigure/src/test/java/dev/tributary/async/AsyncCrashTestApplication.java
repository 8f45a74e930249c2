package dev.tributary.async;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The application {@link AsyncStepCrashIntegrationTests} runs in child JVMs and kills: one
 * processor whose async step answers each value with {@code <value>:done} after 0 to 20 ms.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(AsyncCrashTestApplication.Echo.class)
public class AsyncCrashTestApplication {

	public static void main(String[] args) {
		new SpringApplicationBuilder(AsyncCrashTestApplication.class).web(WebApplicationType.NONE).run(args);
	}

	@StreamProcessor("echo")
	static class Echo {

		private static final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

		private final String input;

		private final String output;

		Echo(@Value("${crash.input-topic}") String input, @Value("${crash.output-topic}") String output) {
			this.input = input;
			this.output = output;
		}

		void topology(StreamsBuilder builder, AsyncSteps async) {
			async
				.mapValues(builder.stream(this.input, Consumed.with(Serdes.String(), Serdes.String())),
						AsyncStep.<String, String, String>call("answer", (key, value) -> {
							CompletableFuture<String> answer = new CompletableFuture<>();
							clock.schedule(() -> answer.complete(value + ":done"),
									ThreadLocalRandom.current().nextInt(21), TimeUnit.MILLISECONDS);
							return answer;
						}).withSerdes(Serdes.String(), Serdes.String(), Serdes.String()).withMaxInFlight(200))
				.to(this.output, Produced.with(Serdes.String(), Serdes.String()));
		}

	}

}
