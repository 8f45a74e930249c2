package dev.tributary.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.rocksdb.Compression;
import dev.tributary.rocksdb.RocksDbMetrics;
import dev.tributary.rocksdb.RocksDbStores;
import dev.tributary.rocksdb.SharedRocksDbMemory;
import dev.tributary.rocksdb.StoreOptions;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import org.apache.kafka.streams.KafkaStreams;
import org.rocksdb.RocksDB;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Bounds the off-heap memory of every processor's RocksDB state stores with one shared
 * budget ({@code tributary.rocksdb.total-off-heap-memory}), applies per-store options
 * ({@code tributary.rocksdb.stores.*}) and reports the stores' memory to Micrometer.
 *
 * <p>The shared cache is a bean destroyed when the context closes, which is after
 * {@link ProcessorRegistry} has stopped every processor.
 */
@AutoConfiguration(after = TributaryAutoConfiguration.class)
@ConditionalOnClass({ KafkaStreams.class, RocksDB.class })
@EnableConfigurationProperties(TributaryProperties.class)
public final class TributaryRocksDbAutoConfiguration {

	private static final String PREFIX = "tributary.rocksdb.";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@ConditionalOnProperty("tributary.rocksdb.total-off-heap-memory")
	SharedRocksDbMemory tributaryRocksDbMemory(TributaryProperties properties) {
		TributaryProperties.Rocksdb rocksdb = properties.getRocksdb();
		DataSize total = rocksdb.getTotalOffHeapMemory();
		if (total == null || total.toBytes() <= 0) {
			throw new ProcessorConfigurationException(PREFIX + "total-off-heap-memory", PREFIX
					+ "total-off-heap-memory must be a positive size such as 512MB, not " + total
					+ "; leave it unset for Kafka Streams' defaults");
		}
		double memtableShare = rocksdb.getMemtableShare();
		if (!(memtableShare > 0 && memtableShare < 1)) {
			throw new ProcessorConfigurationException(PREFIX + "memtable-share", PREFIX + "memtable-share is "
					+ memtableShare + "; it must be between 0 and 1, exclusive, such as 0.5");
		}
		double highPriorityPoolRatio = rocksdb.getHighPriorityPoolRatio();
		if (!(highPriorityPoolRatio >= 0 && highPriorityPoolRatio < 1)) {
			throw new ProcessorConfigurationException(PREFIX + "high-priority-pool-ratio", PREFIX
					+ "high-priority-pool-ratio is " + highPriorityPoolRatio
					+ "; it must be at least 0 and less than 1, such as 0.1");
		}
		return new SharedRocksDbMemory(total.toBytes(), memtableShare, highPriorityPoolRatio,
				rocksdb.isStrictCapacityLimit());
	}

	@Bean
	@ConditionalOnMissingBean
	RocksDbStores tributaryRocksDbStores(TributaryProperties properties,
			ObjectProvider<SharedRocksDbMemory> memory) {
		Map<String, StoreOptions> optionsByPattern = new LinkedHashMap<>();
		properties.getRocksdb()
			.getStores()
			.forEach((pattern, store) -> optionsByPattern.put(pattern, storeOptions(pattern, store)));
		return new RocksDbStores(memory.getIfAvailable(), optionsByPattern);
	}

	private static StoreOptions storeOptions(String pattern, TributaryProperties.Rocksdb.Store store) {
		String key = PREFIX + "stores[" + pattern + "].";
		Compression compression = null;
		if (store.getCompression() != null) {
			compression = Compression.fromConfigName(store.getCompression())
				.orElseThrow(() -> new ProcessorConfigurationException(key + "compression",
						key + "compression is '" + store.getCompression() + "'; valid compressions: "
								+ String.join(", ", Compression.configNames())));
		}
		Long blockSize = null;
		if (store.getBlockSize() != null) {
			blockSize = store.getBlockSize().toBytes();
			if (blockSize <= 0 || blockSize > Integer.MAX_VALUE) {
				throw new ProcessorConfigurationException(key + "block-size", key + "block-size is "
						+ store.getBlockSize() + "; it must be positive and below 2GB, such as 16KB");
			}
		}
		Double bloomFilterBits = store.getBloomFilterBits();
		if (bloomFilterBits != null && !(bloomFilterBits >= 0 && bloomFilterBits <= 100)) {
			throw new ProcessorConfigurationException(key + "bloom-filter-bits", key + "bloom-filter-bits is "
					+ bloomFilterBits + "; it must be between 0 (no filter) and 100, such as 10");
		}
		Integer maxWriteBufferNumber = store.getMaxWriteBufferNumber();
		if (maxWriteBufferNumber != null && maxWriteBufferNumber < 2) {
			throw new ProcessorConfigurationException(key + "max-write-buffer-number", key
					+ "max-write-buffer-number is " + maxWriteBufferNumber
					+ "; RocksDB needs at least 2 (one memtable to write while another flushes)");
		}
		return new StoreOptions(compression, blockSize, bloomFilterBits, maxWriteBufferNumber);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class RocksDbMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RocksDbMetrics tributaryRocksDbMetrics(RocksDbStores stores) {
			return new RocksDbMetrics(stores);
		}

		/**
		 * Kafka Streams' RocksDB property metrics read a store's RocksDB instance without
		 * a lock against its close: scraped during a task migration, they can crash the
		 * JVM. Spring Boot applies this filter to every registry it configures.
		 */
		@Bean
		@ConditionalOnProperty(name = "tributary.rocksdb.kafka-property-metrics", havingValue = "false",
				matchIfMissing = true)
		MeterFilter tributaryKafkaRocksDbPropertyMetricsFilter() {
			return RocksDbMetrics.denyKafkaRocksDbPropertyMetrics();
		}

	}

}
