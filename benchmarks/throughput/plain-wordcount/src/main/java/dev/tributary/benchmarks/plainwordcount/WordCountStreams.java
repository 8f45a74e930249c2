package dev.tributary.benchmarks.plainwordcount;

import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The sample's word count wired by hand, the way an application without Tributary does
 * it: properties from configuration, the topology, a {@code KafkaStreams} started once
 * the context is refreshed and closed on shutdown.
 */
@Component
class WordCountStreams implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WordCountStreams.class);

	private final Properties properties = new Properties();

	private volatile KafkaStreams streams;

	WordCountStreams(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
			@Value("${wordcount.application-id:wordcount-word-count}") String applicationId,
			@Value("${wordcount.state-dir:target/wordcount-data/state}") String stateDir) {
		this.properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		this.properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
		this.properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
		this.properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
	}

	@Override
	public void start() {
		StreamsBuilder builder = new StreamsBuilder();
		// The sample's topology, unchanged.
		builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
			.flatMapValues((line) -> Arrays.asList(line.toLowerCase().split("\\W+")))
			.filter((key, word) -> !word.isEmpty())
			.groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
			.count(Materialized.as("word-counts"))
			.toStream()
			.to("word-count-output", Produced.with(Serdes.String(), Serdes.Long()));
		KafkaStreams created = new KafkaStreams(builder.build(), this.properties);
		created.setStateListener((newState, oldState) -> logger
			.info("Kafka Streams 'word-count': " + oldState + " -> " + newState));
		this.streams = created;
		created.start();
	}

	@Override
	public void stop() {
		KafkaStreams current = this.streams;
		if (current != null) {
			current.close(Duration.ofSeconds(30));
			this.streams = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.streams != null;
	}

	KafkaStreams streams() {
		return this.streams;
	}

}
