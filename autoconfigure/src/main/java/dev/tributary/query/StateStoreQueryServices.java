package dev.tributary.query;

import java.util.List;
import java.util.function.BiFunction;

import dev.tributary.query.peer.PeerClient;
import dev.tributary.query.peer.PeerException;
import dev.tributary.query.peer.PeerQueryHandler;
import dev.tributary.query.peer.PeerResponse;
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
	 * @param peerClient the channel queries are forwarded to other instances over, or
	 * {@code null} if they are not forwarded ({@code tributary.query.peer.secret} unset)
	 * @return the service
	 */
	public static StateStoreQueryService create(ProcessorRegistry registry, ApplicationServerAdvertiser advertiser,
			List<QueryKeyType<?>> customKeyTypes, BiFunction<String, String, @Nullable String> configuredKeyType,
			BiFunction<String, String, @Nullable StreamPartitioner<Object, Object>> partitioners,
			StateStoreQueryService.Settings settings, JsonMapper json, @Nullable PeerClient peerClient) {
		StoreCatalog catalog = new StoreCatalog(registry, new KeyTypes(customKeyTypes, configuredKeyType),
				partitioners);
		PeerChannel channel = (peerClient != null) ? channel(peerClient) : null;
		return new StateStoreQueryService(catalog, new Instances(advertiser, new PartitionCounts()), new Peers(channel, new PeerMessages(json)),
				settings);
	}

	/**
	 * The handler of the peer channel: answers what other instances forward here.
	 * @param service the query service
	 * @return the handler
	 */
	public static PeerQueryHandler peerHandler(StateStoreQueryService service) {
		return (body) -> {
			PeerChannel.Reply reply = service.answerPeer(body);
			return new PeerResponse(reply.status(), reply.body());
		};
	}

	/**
	 * The names of the built-in key types.
	 * @return {@code string}, {@code long}, {@code integer}, {@code uuid}, {@code bytes}
	 */
	public static List<String> builtInKeyTypes() {
		return KeyTypes.builtIn().stream().map(QueryKeyType::name).toList();
	}

	/**
	 * Sends over the peer client: a peer that cannot be reached in time is unavailable
	 * (asked again, or another copy answers); what comes back unsigned, too large or
	 * unreadable is a bad peer answer, never relayed.
	 */
	private static PeerChannel channel(PeerClient client) {
		return (peer, body) -> {
			try {
				PeerResponse response = client.send(peer, body);
				return new PeerChannel.Reply(response.status(), response.body());
			}
			catch (PeerException ex) {
				QueryException.Reason reason = switch (ex.getKind()) {
					case UNREACHABLE, TIMEOUT -> QueryException.Reason.UNAVAILABLE;
					default -> QueryException.Reason.BAD_PEER_ANSWER;
				};
				throw new QueryException(reason, ex.getMessage());
			}
		};
	}

}
