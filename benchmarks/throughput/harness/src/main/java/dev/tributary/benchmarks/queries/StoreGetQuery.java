package dev.tributary.benchmarks.queries;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The classic interactive query: a {@code ReadOnlyKeyValueStore} from
 * {@code KafkaStreams.store(...)}, obtained once, then {@code get(key)}.
 */
public final class StoreGetQuery implements PointQuery {

	private final ReadOnlyKeyValueStore<String, Long> store;

	public StoreGetQuery(KafkaStreams streams, String storeName) {
		this.store = streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
	}

	@Override
	public String description() {
		return "direct: `KafkaStreams.store(...).get(key)`";
	}

	@Override
	public Object get(String key) {
		return this.store.get(key);
	}

}
