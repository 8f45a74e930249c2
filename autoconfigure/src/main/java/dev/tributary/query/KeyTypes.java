package dev.tributary.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiFunction;

import dev.tributary.runtime.ManagedProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;

/**
 * Finds the {@link QueryKeyType} of each store the same way on every instance, from
 * configuration only: the store's {@code key-type}, else the type of the processor's
 * {@code default.key.serde} when it is one of Kafka's built-in serdes, else
 * {@link QueryKeyType#STRING}. Never from the keys in the store: an instance that holds
 * no copy of a store must route its keys exactly as one that does.
 */
final class KeyTypes {

	private static final Map<String, QueryKeyType<?>> BY_SERDE = Map.of(
			Serdes.StringSerde.class.getName(), QueryKeyType.STRING, Serdes.LongSerde.class.getName(),
			QueryKeyType.LONG, Serdes.IntegerSerde.class.getName(), QueryKeyType.INTEGER,
			Serdes.UUIDSerde.class.getName(), QueryKeyType.UUID, Serdes.BytesSerde.class.getName(),
			QueryKeyType.BYTES);

	private final Map<String, QueryKeyType<?>> byName = new LinkedHashMap<>();

	private final BiFunction<String, String, @Nullable String> configured;

	/**
	 * @param custom the application's own key types
	 * @param configured the key type configured for a processor's store, if any
	 */
	KeyTypes(List<QueryKeyType<?>> custom, BiFunction<String, String, @Nullable String> configured) {
		for (QueryKeyType<?> type : builtIn()) {
			this.byName.put(type.name(), type);
		}
		custom.forEach((type) -> this.byName.put(type.name(), type));
		this.configured = configured;
	}

	static List<QueryKeyType<?>> builtIn() {
		return List.of(QueryKeyType.STRING, QueryKeyType.LONG, QueryKeyType.INTEGER, QueryKeyType.UUID,
				QueryKeyType.BYTES);
	}

	/**
	 * The key type of a store and where it comes from.
	 * @throws QueryException (failed) for a configured name no key type has; start-up
	 * checks the configuration, so only a key type bean that went away can cause it
	 */
	Resolved resolve(ManagedProcessor processor, String store) {
		return resolve(processor.name(), processor.definition().streamsProperties(), store);
	}

	@SuppressWarnings("unchecked")
	Resolved resolve(String processor, Properties streamsProperties, String store) {
		String name = this.configured.apply(processor, store);
		if (name != null) {
			QueryKeyType<?> type = this.byName.get(name);
			if (type == null) {
				throw new QueryException(QueryException.Reason.FAILED, "Unknown key type '" + name
						+ "' configured for store '" + store + "' (tributary.processors." + processor
						+ ".stores." + store + ".key-type)", "keyTypes", List.copyOf(this.byName.keySet()));
			}
			return new Resolved((QueryKeyType<Object>) type, "tributary.processors." + processor + ".stores."
					+ store + ".key-type");
		}
		Object serde = streamsProperties.get(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG);
		String serdeName = (serde instanceof Class<?> serdeClass) ? serdeClass.getName()
				: (serde != null) ? serde.toString().trim() : null;
		QueryKeyType<?> fromSerde = (serdeName != null) ? BY_SERDE.get(serdeName) : null;
		if (fromSerde != null) {
			return new Resolved((QueryKeyType<Object>) fromSerde, StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG);
		}
		return new Resolved((QueryKeyType<Object>) (QueryKeyType<?>) QueryKeyType.STRING, "default");
	}

	/**
	 * A store's key type.
	 *
	 * @param type the key type
	 * @param source where it comes from: the configuration key, {@code default.key.serde},
	 * or {@code default}
	 */
	record Resolved(QueryKeyType<Object> type, String source) {

	}

}
