package dev.tributary.benchmarks.queries;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Every query path the benchmark knows, measured on one key-value store of a running
 * processor. The HTTP paths are listed but not measured until
 * {@code GET /actuator/statestores/...} exists (issue 5); each then becomes a
 * {@link PointQuery} added here, the local one against this instance's port and the
 * forwarded one against a second instance that owns none of the keys.
 */
public final class QueryStage {

	private final Duration warmUp;

	private final Duration measurement;

	/**
	 * Creates the stage.
	 * @param warmUp how long each path is queried before it is measured
	 * @param measurement how long each path is measured
	 */
	public QueryStage(Duration warmUp, Duration measurement) {
		this.warmUp = warmUp;
		this.measurement = measurement;
	}

	/**
	 * Measures every path.
	 * @param streams the processor's instance, done with its input
	 * @param store the name of a {@code String -> Long} key-value store
	 * @return the results, in the order of the report
	 */
	public List<QueryResult> measure(KafkaStreams streams, String store) {
		QueryBenchmark benchmark = new QueryBenchmark(keysIn(streams, store), this.warmUp, this.measurement);
		List<QueryResult> results = new ArrayList<>();
		results.add(benchmark.measure(new StoreGetQuery(streams, store)));
		results.add(benchmark.measure(new Iqv2KeyQuery(streams, store)));
		return results;
	}

	private static List<String> keysIn(KafkaStreams streams, String store) {
		List<String> keys = new ArrayList<>();
		try (KeyValueIterator<String, Long> all = streams
			.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Long>keyValueStore()))
			.all()) {
			all.forEachRemaining((entry) -> keys.add(entry.key));
		}
		return keys;
	}

}
