package dev.tributary.query;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.jspecify.annotations.Nullable;

/**
 * Finds the type of a local store by asking Kafka Streams which queryable store type
 * accepts it (the public API offers no other way).
 */
final class StoreTypes {

	private StoreTypes() {
	}

	/**
	 * The type of a local store; {@code null} while the store cannot be looked at
	 * (restoring, migrating, not assigned here). Standby copies count: the type is the
	 * same.
	 */
	static @Nullable StoreType probe(KafkaStreams streams, String store) {
		// Store views are created lazily: only using one shows whether the type fits.
		Map<StoreType, Runnable> probes = new LinkedHashMap<>();
		probes.put(StoreType.TIMESTAMPED_KEY_VALUE, () -> streams
			.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.timestampedKeyValueStore())
				.enableStaleStores())
			.approximateNumEntries());
		probes.put(StoreType.KEY_VALUE, () -> streams
			.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()).enableStaleStores())
			.approximateNumEntries());
		probes.put(StoreType.WINDOW, () -> {
			try (KeyValueIterator<Windowed<Object>, Object> all = streams
				.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.windowStore())
					.enableStaleStores())
				.backwardAll()) {
				all.hasNext();
			}
		});
		probes.put(StoreType.SESSION, () -> {
			try (KeyValueIterator<Windowed<Object>, Object> all = streams
				.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.sessionStore())
					.enableStaleStores())
				.fetch(null, null)) {
				all.hasNext();
			}
		});
		boolean wrongTypeOnly = true;
		for (Map.Entry<StoreType, Runnable> probe : probes.entrySet()) {
			try {
				probe.getValue().run();
				return probe.getKey();
			}
			catch (InvalidStateStoreException ex) {
				wrongTypeOnly &= String.valueOf(ex.getMessage()).contains("does not accept the actual store type");
			}
		}
		// Versioned stores are the key-value stores that no classic store type accepts.
		return wrongTypeOnly ? StoreType.VERSIONED_KEY_VALUE : null;
	}

}
