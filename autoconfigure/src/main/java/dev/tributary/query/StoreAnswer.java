package dev.tributary.query;

/**
 * The answer to a {@link StoreQuery}: a {@link QueryResult} for a key lookup, a
 * {@link KeyValuePage} for a range or prefix scan, {@link WindowedValues} for windows and
 * sessions.
 */
public sealed interface StoreAnswer permits QueryResult, KeyValuePage, WindowedValues {

}
