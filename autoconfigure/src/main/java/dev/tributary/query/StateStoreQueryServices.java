package dev.tributary.query;

import java.util.List;
import java.util.function.BiFunction;

import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates a {@link StateStoreQueryService} from its parts; the auto-configuration's
 * entry point into this package.
 */
public final class StateStoreQueryServices {

	private StateStoreQueryServices() {
	}

	/**
	 * Creates the query service.
	 * @param registry the processors
	 * @param advertiser the advertised {@code application.server} of each processor
	 * @param customKeyTypes the application's own key types
	 * @param configuredKeyType the key type configured for a processor's store, if any
	 * @param partitioners the partitioner configured for a processor's store, if any
	 * @param settings paging, rebalance and staleness settings
	 * @param json how values are written when answering other instances
	 * @return the service
	 */
	public static StateStoreQueryService create(ProcessorRegistry registry, ApplicationServerAdvertiser advertiser,
			List<QueryKeyType<?>> customKeyTypes, BiFunction<String, String, @Nullable String> configuredKeyType,
			BiFunction<String, String, @Nullable StreamPartitioner<Object, Object>> partitioners,
			StateStoreQueryService.Settings settings, JsonMapper json) {
		StoreCatalog catalog = new StoreCatalog(registry, new KeyTypes(customKeyTypes, configuredKeyType),
				partitioners);
		return new StateStoreQueryService(catalog, new Instances(advertiser), new Peers(null, new PeerMessages(json)),
				settings);
	}

	/**
	 * The names of the built-in key types.
	 * @return {@code string}, {@code long}, {@code integer}, {@code uuid}, {@code bytes}
	 */
	public static List<String> builtInKeyTypes() {
		return KeyTypes.builtIn().stream().map(QueryKeyType::name).toList();
	}

}
