package dev.tributary.benchmarks.throughput;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.streams.StreamsConfig;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The topology as a Tributary {@code @StreamProcessor} in a real Spring Boot application
 * with Tributary's auto-configuration: what a user gets. The Kafka Streams properties
 * are handed over the way a user writes them, as {@code tributary.streams.*}. The
 * processor does not start with the context but through {@link ProcessorRegistry#start},
 * which runs the same code a moment later.
 */
public final class TributaryProcessor implements Variant {

	private final String name;

	private final Map<String, String> extraProperties;

	/**
	 * The variant as users get it.
	 */
	public TributaryProcessor() {
		this("Tributary", Map.of());
	}

	/**
	 * The variant with more application properties, to find out what a setting costs.
	 * @param name the variant's name in the report
	 * @param extraProperties Spring Boot properties added to the application's
	 */
	public TributaryProcessor(String name, Map<String, String> extraProperties) {
		this.name = name;
		this.extraProperties = Map.copyOf(extraProperties);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String id() {
		return "tributary";
	}

	@Override
	public Prepared prepare(Workload workload, String input, String output, Properties streamsProperties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(springProperties(workload, input, output, streamsProperties))
			.run();
		ProcessorRegistry registry = context.getBean(ProcessorRegistry.class);
		return new Prepared() {

			@Override
			public Running start() {
				registry.start(BenchmarkProcessor.NAME);
				ManagedProcessor processor = registry.get(BenchmarkProcessor.NAME);
				return new Running(processor.kafkaStreams().orElseThrow(),
						context.getBean(StartClock.class).startedNanos(), processor.topology().orElseThrow(),
						processor.definition().streamsProperties());
			}

			@Override
			public void close() {
				context.close();
			}

		};
	}

	private Map<String, Object> springProperties(Workload workload, String input, String output,
			Properties streamsProperties) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", "benchmark");
		// Started through the registry once the JVM has settled, not with the context.
		properties.put("tributary.auto-startup", "false");
		properties.put("spring.kafka.bootstrap-servers",
				streamsProperties.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
		properties.put("tributary.processors." + BenchmarkProcessor.NAME + ".application-id",
				streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
		for (String key : streamsProperties.stringPropertyNames()) {
			if (!key.equals(StreamsConfig.APPLICATION_ID_CONFIG) && !key.equals(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
				properties.put("tributary.streams[" + key + "]", streamsProperties.getProperty(key));
			}
		}
		properties.put("benchmark.workload", workload.name());
		properties.put("benchmark.input", input);
		properties.put("benchmark.output", output);
		properties.putAll(this.extraProperties);
		return properties;
	}

}
