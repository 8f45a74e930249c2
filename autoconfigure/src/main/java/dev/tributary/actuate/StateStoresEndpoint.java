package dev.tributary.actuate;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tributary.query.KeyValuePage;
import dev.tributary.query.ProcessorStores;
import dev.tributary.query.QueryException;
import dev.tributary.query.QueryResult;
import dev.tributary.query.StateStoreQueryService;
import dev.tributary.query.StoreAnswer;
import dev.tributary.query.StoreDescription;
import dev.tributary.query.StoreQuery;
import dev.tributary.query.WindowedValues;
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
 * <li>{@code GET /actuator/statestores}: every store with its type, key type, and which
 * instances hold which partitions;</li>
 * <li>{@code GET /actuator/statestores/{processor}/{store}?key=K}: one key;</li>
 * <li>{@code ?from=A&to=B}, {@code ?prefix=P}, no parameter: a range, prefix or full
 * scan, merged in key order across instances, with {@code limit} and {@code cursor};</li>
 * <li>{@code ?key=K&timeFrom=T1&timeTo=T2}: the windows or sessions of a key;
 * {@code ?timeFrom=T1&timeTo=T2}: the windows of every key, with {@code limit} and
 * {@code cursor};</li>
 * <li>{@code ?key=K&asOf=T}: a versioned store's value at a point in time.</li>
 * </ul>
 * The parameters are read into a {@link StoreQuery} here, before anything is routed;
 * errors are JSON with the status of the {@link QueryException.Reason}: 404 naming the
 * processors or stores there are, 400 naming the valid parameters, 503 (with
 * {@code Retry-After}) while a store cannot be read right now, 502 when the instance that
 * holds the data answered something else than an answer.
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
		return Map.of("processors", this.queries.describe().stream().map(StateStoresEndpoint::json).toList());
	}

	/**
	 * Queries one store. The query parameters ({@code key}, {@code from}, {@code to},
	 * {@code prefix}, {@code limit}, {@code cursor}, {@code timeFrom}, {@code timeTo},
	 * {@code asOf}) are read from the servlet request itself, all values of each, so that
	 * unknown and repeated ones can be refused; declaring them here would also cost every
	 * lookup a check of each by Actuator's invoker (a quarter of a local lookup's CPU).
	 * @param processor the processor name
	 * @param store the store name
	 * @return the answer, or an error naming what is valid
	 */
	@ReadOperation
	public WebEndpointResponse<Map<String, Object>> query(@Selector String processor, @Selector String store) {
		try {
			Map<String, List<String>> parameters = requestParameters();
			if (parameters == null) {
				throw new QueryException(QueryException.Reason.BAD_REQUEST, "The statestores endpoint reads its "
						+ "query parameters from a servlet request; this Actuator is not served by a servlet container");
			}
			StoreQuery query = StoreQueryParameters.parse(parameters, () -> this.queries.keyType(processor, store),
					store);
			StoreAnswer answer = this.queries.query(processor, store, query);
			Map<String, Object> json = json(processor, store, answer);
			if (answer instanceof KeyValuePage) {
				json.put("keyType", this.queries.keyType(processor, store).name());
			}
			return new WebEndpointResponse<>(json);
		}
		catch (QueryException ex) {
			return new WebEndpointResponse<>(error(ex), StateStoreQueryService.status(ex.getReason()));
		}
	}

	/**
	 * The error body of a failed query: {@code status}, {@code error} and, where it helps,
	 * the valid values under their name.
	 * @param failure the failure
	 * @return the body
	 */
	static Map<String, Object> error(QueryException failure) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", StateStoreQueryService.status(failure.getReason()));
		body.put("error", failure.getMessage());
		if (failure.getValidName() != null) {
			body.put(failure.getValidName(), failure.getValidValues());
		}
		return body;
	}

	static Map<String, Object> json(String processor, String store, StoreAnswer answer) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("processor", processor);
		json.put("store", store);
		if (answer instanceof QueryResult result) {
			json.put("key", result.key());
			json.put("value", result.value());
			if (result.timestamp() != null) {
				json.put("timestamp", result.timestamp());
			}
			if (result.validTo() != null) {
				json.put("validTo", result.validTo());
			}
			json.put("host", result.host());
			json.put("stale", result.stale());
		}
		else if (answer instanceof KeyValuePage page) {
			json.put("entries", page.entries().stream().map(StateStoresEndpoint::json).toList());
			json.put("count", page.entries().size());
			json.put("limit", page.limit());
			if (page.limitClamped()) {
				json.put("limitClamped", true);
			}
			json.put("nextCursor", page.nextCursor());
		}
		else if (answer instanceof WindowedValues windows) {
			json.put("windows", windows.windows().stream().map(StateStoresEndpoint::json).toList());
			json.put("count", windows.windows().size());
			if (windows.limit() != null) {
				// A scan's page; the windows of one key come whole, without a limit to echo.
				json.put("limit", windows.limit());
				json.put("truncated", windows.truncated());
				json.put("nextCursor", windows.nextCursor());
			}
		}
		return json;
	}

	private static Map<String, Object> json(KeyValuePage.Entry entry) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("key", entry.key());
		json.put("value", entry.value());
		if (entry.timestamp() != null) {
			json.put("timestamp", entry.timestamp());
		}
		json.put("host", entry.host());
		return json;
	}

	private static Map<String, Object> json(WindowedValues.Window window) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("key", window.key());
		json.put("start", Instant.ofEpochMilli(window.start()).toString());
		json.put("end", Instant.ofEpochMilli(window.end()).toString());
		json.put("startMs", window.start());
		json.put("endMs", window.end());
		json.put("value", window.value());
		json.put("host", window.host());
		return json;
	}

	private static Map<String, Object> json(ProcessorStores processor) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", processor.name());
		json.put("state", processor.state());
		json.put("stores", processor.stores().stream().map(StateStoresEndpoint::json).toList());
		return json;
	}

	private static Map<String, Object> json(StoreDescription store) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", store.name());
		json.put("type", (store.type() != null) ? store.type().name() : null);
		if (store.global()) {
			json.put("global", true);
		}
		json.put("keyType", store.keyType());
		json.put("keyTypeSource", store.keyTypeSource());
		json.put("instances", store.instances().stream().map((instance) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("host", instance.host());
			entry.put("local", instance.local());
			entry.put("activePartitions", instance.activePartitions());
			entry.put("standbyPartitions", instance.standbyPartitions());
			return entry;
		}).toList());
		return json;
	}

	/**
	 * Every query parameter of the current servlet request with all its values, to refuse
	 * unknown and repeated ones; {@code null} outside a servlet request.
	 */
	private static @Nullable Map<String, List<String>> requestParameters() {
		if (!SERVLET_PRESENT) {
			return null;
		}
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes instanceof ServletRequestAttributes servlet) {
			Map<String, List<String>> parameters = new LinkedHashMap<>();
			servlet.getRequest()
				.getParameterMap()
				.forEach((name, values) -> parameters.put(name, Arrays.asList(values)));
			return parameters;
		}
		return null;
	}

}
