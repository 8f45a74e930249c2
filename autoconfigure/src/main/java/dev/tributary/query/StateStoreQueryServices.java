package dev.tributary.query;

import java.util.List;
import java.util.function.BiFunction;

import dev.tributary.query.peer.PeerClient;
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
	 * @param peerClient the channel queries are forwarded to other instances over, or
	 * {@code null} if they are not forwarded ({@code tributary.query.peer.secret} unset)
	 * @return the service
	 */
	public static StateStoreQueryService create(ProcessorRegistry registry, ApplicationServerAdvertiser advertiser,
			List<QueryKeyType<?>> customKeyTypes, BiFunction<String, String, @Nullable String> configuredKeyType,
			StateStoreQueryService.Settings settings, @Nullable PeerClient peerClient) {
		return new StateStoreQueryService(registry, new QueryKeyTypes(customKeyTypes, configuredKeyType), advertiser,
				new RemoteStoreClient(peerClient), settings);
	}

}
