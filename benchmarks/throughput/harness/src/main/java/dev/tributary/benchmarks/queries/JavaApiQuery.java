package dev.tributary.benchmarks.queries;

import dev.tributary.query.StateStoreQueryService;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;

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
	 * Creates the query against an instance's query service.
	 * @param description what the path is, for the report
	 * @param instance the instance's application context
	 * @param processor the processor
	 * @param store the store
	 * @return the query
	 */
	public static JavaApiQuery in(String description, ApplicationContext instance, String processor, String store) {
		return new JavaApiQuery(description, instance.getBean(StateStoreQueryService.class), processor, store);
	}

	private JavaApiQuery(String description, StateStoreQueryService queries, String processor, String store) {
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
