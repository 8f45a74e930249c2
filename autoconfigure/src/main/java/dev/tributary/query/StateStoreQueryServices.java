package dev.tributary.query;

import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

import dev.tributary.runtime.ProcessorRegistry;
import org.jspecify.annotations.Nullable;

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
	 * @param settings paging, rebalance and staleness settings
	 * @param connectTimeout connect timeout of forwarded queries
	 * @param readTimeout read timeout of forwarded queries
	 * @param actuatorBasePath where other instances' Actuator endpoints live
	 * @return the service
	 */
	public static StateStoreQueryService create(ProcessorRegistry registry, ApplicationServerAdvertiser advertiser,
			List<QueryKeyType<?>> customKeyTypes, BiFunction<String, String, @Nullable String> configuredKeyType,
			StateStoreQueryService.Settings settings, Duration connectTimeout, Duration readTimeout,
			String actuatorBasePath) {
		return new StateStoreQueryService(registry, new QueryKeyTypes(customKeyTypes, configuredKeyType), advertiser,
				new RemoteStoreClient(connectTimeout, readTimeout, actuatorBasePath), settings);
	}

}
