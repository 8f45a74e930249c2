/**
 * Interactive queries: typed requests ({@link dev.tributary.query.StoreQuery}) and answers
 * ({@link dev.tributary.query.StoreAnswer}), answered locally with IQv2 or by the instance
 * that holds the data, through {@link dev.tributary.query.StateStoreQueryService}.
 */
@NullMarked
package dev.tributary.query;

import org.jspecify.annotations.NullMarked;
