package dev.tributary.query;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What is known of one state store here.
 *
 * @param name the store name
 * @param type the store type, {@code null} while this instance has no copy it can look at
 * @param global whether it is a global store (not served by the query API)
 * @param keyType the name of its key type, as every instance resolves it; {@code null}
 * if the configured one does not exist
 * @param keyTypeSource where the key type comes from: its {@code key-type} setting,
 * {@code default.key.serde}, or {@code default} (string)
 * @param instances which instances hold which partitions
 */
public record StoreDescription(String name, @Nullable StoreType type, boolean global, @Nullable String keyType,
		@Nullable String keyTypeSource, List<Instance> instances) {

	/**
	 * One instance that holds partitions of the store.
	 *
	 * @param host its address as {@code host:port}, or {@code local} without one
	 * @param local whether it is this instance
	 * @param activePartitions the partitions it holds actively
	 * @param standbyPartitions the partitions it holds standby copies of
	 */
	public record Instance(String host, boolean local, List<Integer> activePartitions, List<Integer> standbyPartitions) {

	}

}
