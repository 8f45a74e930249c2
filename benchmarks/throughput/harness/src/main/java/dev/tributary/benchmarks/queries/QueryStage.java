package dev.tributary.benchmarks.queries;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * The direct Kafka Streams paths, on one key-value store of a running processor that
 * holds every partition, from one client thread, in several rounds: what a lookup costs
 * underneath any query layer. The HTTP and Java API paths, on two instances, are
 * {@code throughput.HttpQueryStage}.
 */
public final class QueryStage {

	private final QuerySettings settings;

	/**
	 * Creates the stage.
	 * @param settings rounds and durations (client counts do not apply: one client)
	 */
	public QueryStage(QuerySettings settings) {
		this.settings = settings;
	}

	/**
	 * Measures every direct path, every round.
	 * @param streams the processor's instance, done with its input
	 * @param store the name of a {@code String -> Long} key-value store
	 * @return the results of every round
	 */
	public List<QueryResult> measure(KafkaStreams streams, String store) {
		QueryBenchmark benchmark = new QueryBenchmark(this.settings.warmUp(), this.settings.measurement(),
				new CpuMeter((name) -> name.startsWith(QueryBenchmark.CLIENT_THREAD_PREFIX) ? QueryResult.CLIENT : null));
		List<String> keys = keysIn(streams, store);
		List<PointQuery> paths = List.of(new StoreGetQuery(streams, store), new Iqv2KeyQuery(streams, store));
		List<QueryResult> results = new ArrayList<>();
		for (int round = 1; round <= this.settings.rounds(); round++) {
			List<PointQuery> ordered = new ArrayList<>(paths);
			if (round % 2 == 0) {
				Collections.reverse(ordered);
			}
			for (PointQuery path : ordered) {
				results.add(benchmark.measure(path, keys, 1, round));
			}
		}
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
