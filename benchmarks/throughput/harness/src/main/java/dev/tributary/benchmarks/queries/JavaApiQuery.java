package dev.tributary.benchmarks.queries;

import dev.tributary.query.StateStoreQueryService;
import org.jspecify.annotations.Nullable;

/**
 * A key lookup through Tributary's Java API, in the instance's own JVM: what an
 * application's own controller would call. The only class of the harness that uses the
 * Java query API, so a change of its signature is fixed here.
 */
public final class JavaApiQuery implements PointQuery {

	private final String description;

	private final StateStoreQueryService queries;

	private final String processor;

	private final String store;

	/**
	 * Creates the query.
	 * @param description what the path is, for the report
	 * @param queries the instance's query service
	 * @param processor the processor
	 * @param store the store
	 */
	public JavaApiQuery(String description, StateStoreQueryService queries, String processor, String store) {
		this.description = description;
		this.queries = queries;
		this.processor = processor;
		this.store = store;
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public @Nullable Object get(String key) {
		return this.queries.get(this.processor, this.store, key).value();
	}

	@Override
	public @Nullable String answeredBy(String key) {
		return this.queries.get(this.processor, this.store, key).host();
	}

}
