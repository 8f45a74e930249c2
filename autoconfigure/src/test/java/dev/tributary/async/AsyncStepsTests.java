package dev.tributary.async;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology nodes an async step adds are known by name, for tools that draw it.
 */
class AsyncStepsTests {

	@Test
	void knowsTheStepOfTheNodesItAddsAndOfNoOther() {
		StreamsBuilder builder = new StreamsBuilder();
		Properties properties = new Properties();
		properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "shop");
		AsyncSteps async = AsyncSteps.forBuild(builder, properties);
		async
			.mapValues(builder.stream("events", Consumed.with(Serdes.String(), Serdes.String())),
					AsyncStep.<String, String, String>call("enrich-v2", (key, value) -> null)
						.withSerdes(Serdes.String(), Serdes.String(), Serdes.String()))
			.to("enriched", Produced.with(Serdes.String(), Serdes.String()));
		TopologyDescription topology = builder.build().describe();
		Map<String, String> steps = new TreeMap<>();
		topology.subtopologies()
			.forEach((sub) -> sub.nodes()
				.forEach((node) -> steps.put(node.name(), String.valueOf(AsyncSteps.stepOf(node.name())))));
		assertThat(steps).containsEntry("tributary-async-enrich-v2-requests", "enrich-v2")
			.containsEntry("tributary-async-enrich-v2-results", "enrich-v2")
			.containsEntry("KSTREAM-SOURCE-0000000000", "null");
		assertThat(AsyncSteps.stepOf("tributary-async--requests")).isNull();
		assertThat(AsyncSteps.stepOf("my-requests")).isNull();
	}

}
