package dev.tributary.rocksdb;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.jspecify.annotations.Nullable;
import org.rocksdb.Options;

/**
 * The {@code rocksdb.config.setter} Tributary gives every processor when
 * {@code tributary.rocksdb.*} is configured: points each store at the shared memory
 * budget and applies the options configured for its name.
 *
 * <p>Kafka Streams creates one instance per RocksDB instance it opens and calls
 * {@link #close(String, Options)} when that instance closes; the setter then releases
 * what it created for the store, never the shared cache.
 */
public class TributaryRocksDbConfigSetter implements RocksDBConfigSetter {

	private RocksDbStores.@Nullable OpenStore store;

	/**
	 * Applies the shared budget and the store's options.
	 * @param storeName the store's name, or a segment's
	 * @param options the options Kafka Streams prepared
	 * @param configs the processor's Kafka Streams configuration, holding the
	 * {@link RocksDbStores}
	 */
	@Override
	public void setConfig(String storeName, Options options, Map<String, Object> configs) {
		RocksDbStores stores = RocksDbStores.from(configs);
		Object processor = configs.get(RocksDbStores.PROCESSOR_CONFIG_KEY);
		this.store = stores.open((processor != null) ? processor.toString() : "", storeName, options);
	}

	/**
	 * Releases the objects created for the store.
	 * @param storeName the store's name, or a segment's
	 * @param options the store's options
	 */
	@Override
	public void close(String storeName, Options options) {
		RocksDbStores.OpenStore current = this.store;
		this.store = null;
		if (current != null) {
			current.close();
		}
	}

}
