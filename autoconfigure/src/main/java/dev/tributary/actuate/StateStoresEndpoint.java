package dev.tributary.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.query.QueryException;
import dev.tributary.query.StateStoreQueryService;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The {@code statestores} Actuator endpoint: interactive queries of every processor's
 * state stores, answered from any instance.
 *
 * <ul>
 * <li>{@code GET /actuator/statestores}: every store with its type, key and value types,
 * and which instances hold which partitions;</li>
 * <li>{@code GET /actuator/statestores/{processor}/{store}?key=K}: one key;</li>
 * <li>{@code ?from=A&to=B}, {@code ?prefix=P}, no parameter: a range, prefix or full
 * scan, merged in key order across instances, with {@code limit} and {@code cursor};</li>
 * <li>{@code ?key=K&timeFrom=T1&timeTo=T2}: the windows or sessions of a key;
 * {@code ?timeFrom=T1&timeTo=T2}: the windows of every key;</li>
 * <li>{@code ?key=K&asOf=T}: a versioned store's value at a point in time.</li>
 * </ul>
 * Errors are JSON with the status of the {@link QueryException}: 404 naming the
 * processors or stores there are, 400 saying the expected form, 503 (with
 * {@code Retry-After}) while a store is not queryable or its owner cannot be reached.
 */
@Endpoint(id = "statestores")
public class StateStoresEndpoint {

	private static final boolean SERVLET_PRESENT = ClassUtils.isPresent(
			"org.springframework.web.context.request.ServletRequestAttributes", StateStoresEndpoint.class.getClassLoader());

	private final StateStoreQueryService queries;

	/**
	 * Creates the endpoint.
	 * @param queries the query service
	 */
	public StateStoresEndpoint(StateStoreQueryService queries) {
		this.queries = queries;
	}

	/**
	 * Describes every processor's stores.
	 * @return the stores
	 */
	@ReadOperation
	public Map<String, Object> stores() {
		return this.queries.describe();
	}

	/**
	 * Queries one store.
	 * @param processor the processor name
	 * @param store the store name
	 * @param key a key, as text in the store's key type
	 * @param from the first key of a range
	 * @param to the last key of a range
	 * @param prefix a key prefix (string keys)
	 * @param limit the page size
	 * @param cursor the {@code nextCursor} of the previous page
	 * @param timeFrom the start of a time range (ISO-8601 or epoch milliseconds)
	 * @param timeTo the end of a time range
	 * @param asOf for versioned stores, the point in time
	 * @param local set by forwarding instances: answer from local stores only
	 * @param stale set by forwarding instances: a standby may answer
	 * @param partition set by forwarding instances: the key's partition
	 * @return the answer, or an error naming what is valid
	 */
	@ReadOperation
	public WebEndpointResponse<Map<String, Object>> query(@Selector String processor, @Selector String store,
			@Nullable String key, @Nullable String from, @Nullable String to, @Nullable String prefix,
			@Nullable String limit, @Nullable String cursor, @Nullable String timeFrom, @Nullable String timeTo,
			@Nullable String asOf, @Nullable String local, @Nullable String stale, @Nullable String partition) {
		Map<String, String> parameters = new LinkedHashMap<>();
		put(parameters, "key", key);
		put(parameters, "from", from);
		put(parameters, "to", to);
		put(parameters, "prefix", prefix);
		put(parameters, "limit", limit);
		put(parameters, "cursor", cursor);
		put(parameters, "timeFrom", timeFrom);
		put(parameters, "timeTo", timeTo);
		put(parameters, "asOf", asOf);
		put(parameters, "local", local);
		put(parameters, "stale", stale);
		put(parameters, "partition", partition);
		try {
			return new WebEndpointResponse<>(this.queries.query(processor, store, parameters, authorization()));
		}
		catch (QueryException ex) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("status", ex.getStatus());
			body.put("error", ex.getMessage());
			if (ex.getValidName() != null) {
				body.put(ex.getValidName(), ex.getValidValues());
			}
			return new WebEndpointResponse<>(body, ex.getStatus());
		}
	}

	private static void put(Map<String, String> parameters, String name, @Nullable String value) {
		if (value != null) {
			parameters.put(name, value);
		}
	}

	/**
	 * The caller's {@code Authorization} header, so a forwarded query passes the same
	 * credentials to the instance that holds the data.
	 */
	private static @Nullable String authorization() {
		if (!SERVLET_PRESENT) {
			return null;
		}
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes instanceof ServletRequestAttributes servlet) {
			return servlet.getRequest().getHeader("Authorization");
		}
		return null;
	}

}
