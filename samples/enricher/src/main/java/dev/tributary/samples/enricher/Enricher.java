package dev.tributary.samples.enricher;

import java.time.Duration;

import dev.tributary.StreamProcessor;
import dev.tributary.async.AsyncStep;
import dev.tributary.async.AsyncSteps;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

import org.springframework.kafka.support.serializer.JacksonJsonSerde;

/**
 * Normalizes raw cloud-app events (ordinary DSL), enriches each through the slow
 * threat-intelligence API (an async step: hundreds of calls in flight, each user's events
 * in order), writes them to {@code enriched-activity} and counts them per user in the
 * queryable store {@code activity-per-user}.
 */
@StreamProcessor("enricher")
class Enricher {

	private static final Serde<Activity> activitySerde = new JacksonJsonSerde<>(Activity.class).noTypeInfo()
		.ignoreTypeHeaders();

	private static final Serde<EnrichedActivity> enrichedSerde = new JacksonJsonSerde<>(EnrichedActivity.class)
		.noTypeInfo()
		.ignoreTypeHeaders();

	private final ThreatIntelClient threatIntel;

	Enricher(ThreatIntelClient threatIntel) {
		this.threatIntel = threatIntel;
	}

	void topology(StreamsBuilder builder, AsyncSteps async) {
		KStream<String, Activity> activity = builder
			.stream("cloud-activity", Consumed.with(Serdes.String(), Serdes.String()))
			.mapValues(Normalizer::normalize)
			.selectKey((app, normalized) -> normalized.user());

		KStream<String, EnrichedActivity> enriched = async.mapValues(activity,
				AsyncStep.<String, Activity, EnrichedActivity>call("threat-intel",
						(user, event) -> this.threatIntel.lookup(event.ip()).thenApply(event::enrich))
					.withSerdes(Serdes.String(), activitySerde, enrichedSerde)
					.withMaxInFlight(400)
					.withTimeout(Duration.ofSeconds(8)));

		enriched.to("enriched-activity", Produced.with(Serdes.String(), enrichedSerde));
		enriched.groupByKey().count(Materialized.as("activity-per-user"));
	}

}
