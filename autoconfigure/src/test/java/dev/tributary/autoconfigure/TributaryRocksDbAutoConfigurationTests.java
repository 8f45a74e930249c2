package dev.tributary.autoconfigure;

import java.util.List;
import java.util.Properties;

import dev.tributary.StreamProcessor;
import dev.tributary.rocksdb.Compression;
import dev.tributary.rocksdb.RocksDbMetrics;
import dev.tributary.rocksdb.RocksDbStores;
import dev.tributary.rocksdb.SharedRocksDbMemory;
import dev.tributary.rocksdb.StoreOptions;
import dev.tributary.rocksdb.TributaryRocksDbConfigSetter;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TributaryRocksDbAutoConfigurationTests {

	private static final String SETTER = "rocksdb.config.setter";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryAutoConfiguration.class,
				TributaryRocksDbAutoConfiguration.class))
		.withPropertyValues("spring.application.name=shop", "spring.kafka.bootstrap-servers=localhost:1",
				"tributary.auto-startup=false")
		.withUserConfiguration(Counts.class);

	@Test
	void leavesRocksDbToKafkaStreamsByDefault() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(SharedRocksDbMemory.class);
			assertThat(context.getBean(RocksDbStores.class).isActive()).isFalse();
			assertThat(streamsProperties(context)).doesNotContainKey(SETTER)
				.doesNotContainKey(RocksDbStores.CONFIG_KEY);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			context.getBean(RocksDbMetrics.class).bindTo(meters);
			assertThat(meters.getMeters()).isEmpty();
		});
	}

	@Test
	void aBudgetCreatesOneSharedMemoryWithDefaultShares(CapturedOutput output) {
		this.runner.withPropertyValues("tributary.rocksdb.total-off-heap-memory=256MB").run((context) -> {
			SharedRocksDbMemory memory = context.getBean(SharedRocksDbMemory.class);
			assertThat(memory.capacity()).isEqualTo(256L * 1024 * 1024);
			assertThat(memory.memtableLimit()).isEqualTo(128L * 1024 * 1024);
			assertThat(memory.highPriorityPoolRatio()).isEqualTo(0.1);
			assertThat(memory.strictCapacityLimit()).isFalse();
			assertThat(context.getBean(RocksDbStores.class).memory()).isSameAs(memory);
			assertThat(output).contains("RocksDB memory budget: 256 MB off-heap shared by every state store of "
					+ "every processor (memtables up to 128 MB, 10% of the block cache reserved for index and "
					+ "filter blocks, soft capacity limit); native allocator: ");
		});
	}

	@Test
	void processorsGetTheConfigSetterAndTheStoresWhenABudgetIsSet() {
		this.runner.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB").run((context) -> {
			Properties properties = streamsProperties(context);
			assertThat(properties).containsEntry(SETTER, TributaryRocksDbConfigSetter.class.getName())
				.containsEntry(RocksDbStores.CONFIG_KEY, context.getBean(RocksDbStores.class))
				.containsEntry(RocksDbStores.PROCESSOR_CONFIG_KEY, "counts");
		});
	}

	@Test
	void storeOptionsWithoutABudgetStillApplyThroughTheSetter() {
		this.runner.withPropertyValues("tributary.rocksdb.stores[count*].compression=LZ4").run((context) -> {
			assertThat(context).doesNotHaveBean(SharedRocksDbMemory.class);
			RocksDbStores stores = context.getBean(RocksDbStores.class);
			assertThat(stores.isActive()).isTrue();
			assertThat(stores.optionsFor("counts", "counts-store").compression()).isEqualTo(Compression.LZ4);
			assertThat(streamsProperties(context)).containsEntry(SETTER, TributaryRocksDbConfigSetter.class.getName());
		});
	}

	@Test
	void bindsTheStoreOptionsOfEveryPattern() {
		this.runner
			.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB",
					"tributary.rocksdb.stores[*].bloom-filter-bits=8",
					"tributary.rocksdb.stores[counts-*].block-size=32KB",
					"tributary.rocksdb.stores[counts-store].max-write-buffer-number=5",
					"tributary.rocksdb.stores[counts-store].compression=zstd")
			.run((context) -> {
				RocksDbStores stores = context.getBean(RocksDbStores.class);
				var options = stores.optionsFor("counts", "counts-store");
				assertThat(options.bloomFilterBits()).isEqualTo(8.0);
				assertThat(options.blockSize()).isEqualTo(32 * 1024L);
				assertThat(options.maxWriteBufferNumber()).isEqualTo(5);
				assertThat(options.compression()).isEqualTo(Compression.ZSTD);
				var other = stores.optionsFor("counts", "other");
				assertThat(other.bloomFilterBits()).isEqualTo(8.0);
				assertThat(other.blockSize()).isNull();
			});
	}

	@Test
	void warnsAboutAPatternThatMatchesNoStore(CapturedOutput output) {
		this.runner.withPropertyValues("tributary.rocksdb.stores.counts-.compression=zstd").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("tributary.rocksdb.stores.counts- matches no state store of any processor; "
					+ "stores: [counts-store]");
		});
	}

	@Test
	void failsOnAMemtableShareOutsideZeroToOne() {
		this.runner
			.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB", "tributary.rocksdb.memtable-share=1")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("between 0 and 1")
				.extracting("key")
				.isEqualTo("tributary.rocksdb.memtable-share"));
	}

	@Test
	void failsOnAHighPriorityPoolRatioOfOne() {
		this.runner
			.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB",
					"tributary.rocksdb.high-priority-pool-ratio=1")
			.run((context) -> assertThat(failure(context)).extracting("key")
				.isEqualTo("tributary.rocksdb.high-priority-pool-ratio"));
	}

	@Test
	void failsOnABudgetOfZero() {
		this.runner.withPropertyValues("tributary.rocksdb.total-off-heap-memory=0B")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("positive size")
				.extracting("key")
				.isEqualTo("tributary.rocksdb.total-off-heap-memory"));
	}

	@Test
	void failsOnAnUnknownCompressionListingTheValidOnes() {
		this.runner.withPropertyValues("tributary.rocksdb.stores[counts-*].compression=lz5")
			.run((context) -> assertThat(failure(context))
				.hasMessage("tributary.rocksdb.stores[counts-*].compression is 'lz5'; valid compressions: none, "
						+ "snappy, lz4, lz4hc, zstd, zlib, bzip2")
				.extracting("key")
				.isEqualTo("tributary.rocksdb.stores[counts-*].compression"));
	}

	@Test
	void failsOnASingleWriteBuffer() {
		this.runner.withPropertyValues("tributary.rocksdb.stores[*].max-write-buffer-number=1")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("at least 2")
				.extracting("key")
				.isEqualTo("tributary.rocksdb.stores[*].max-write-buffer-number"));
	}

	@Test
	void failsOnNegativeBloomFilterBitsAndZeroBlockSize() {
		this.runner.withPropertyValues("tributary.rocksdb.stores[*].bloom-filter-bits=-1")
			.run((context) -> assertThat(failure(context)).extracting("key")
				.isEqualTo("tributary.rocksdb.stores[*].bloom-filter-bits"));
		this.runner.withPropertyValues("tributary.rocksdb.stores[*].block-size=0")
			.run((context) -> assertThat(failure(context)).extracting("key")
				.isEqualTo("tributary.rocksdb.stores[*].block-size"));
	}

	@Test
	void failsWhenAProcessorSetsItsOwnConfigSetterAlongsideTheBudget() {
		this.runner
			.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB",
					"tributary.processors.counts.properties.rocksdb.config.setter=com.example.MySetter")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Processor 'counts' sets its own rocksdb.config.setter")
				.hasMessageContaining("remove tributary.processors.counts.properties.rocksdb.config.setter")
				.extracting("key")
				.isEqualTo("tributary.processors.counts.properties.rocksdb.config.setter"));
		this.runner
			.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB",
					"tributary.streams.rocksdb.config.setter=com.example.MySetter")
			.run((context) -> assertThat(failure(context)).extracting("key")
				.isEqualTo("tributary.streams.rocksdb.config.setter"));
	}

	@Test
	void keepsTheUsersOwnConfigSetterWhenTributaryDoesNotConfigureRocksDb() {
		this.runner
			.withPropertyValues(
					"tributary.streams.rocksdb.config.setter=" + TributaryRocksDbConfigSetter.class.getName())
			.run((context) -> assertThat(streamsProperties(context)).containsEntry(SETTER,
					TributaryRocksDbConfigSetter.class.getName())
				.doesNotContainKey(RocksDbStores.CONFIG_KEY));
	}

	@Test
	void closesTheSharedMemoryWithTheContext() {
		SharedRocksDbMemory[] memory = new SharedRocksDbMemory[1];
		this.runner.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB").run((context) -> {
			memory[0] = context.getBean(SharedRocksDbMemory.class);
			assertThat(memory[0].isClosed()).isFalse();
		});
		assertThat(memory[0].isClosed()).isTrue();
	}

	@Test
	void backsOffWhenTheUserDefinesTheSharedMemory() {
		this.runner.withUserConfiguration(UserMemory.class)
			.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB")
			.run((context) -> {
				assertThat(context).hasSingleBean(SharedRocksDbMemory.class);
				assertThat(context.getBean(SharedRocksDbMemory.class).capacity()).isEqualTo(8L * 1024 * 1024);
				assertThat(context.getBean(RocksDbStores.class).memory())
					.isSameAs(context.getBean(SharedRocksDbMemory.class));
			});
	}

	@Test
	void backsOffWhenTheUserDefinesTheStoresOrTheMetrics() {
		this.runner.withUserConfiguration(UserStoresAndMetrics.class)
			.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB")
			.run((context) -> {
				assertThat(context).hasSingleBean(RocksDbStores.class).hasSingleBean(RocksDbMetrics.class);
				RocksDbStores stores = context.getBean(RocksDbStores.class);
				assertThat(stores.memory()).isNull();
				assertThat(stores.optionsFor("counts", "counts-store").compression()).isEqualTo(Compression.SNAPPY);
				assertThat(streamsProperties(context)).containsEntry(RocksDbStores.CONFIG_KEY, stores);
				assertThat(context.getBean(RocksDbMetrics.class))
					.isSameAs(context.getBean(UserStoresAndMetrics.class).metrics);
			});
	}

	@Test
	void registersTheBudgetGaugesWhenABudgetIsSet() {
		this.runner.withPropertyValues("tributary.rocksdb.total-off-heap-memory=64MB").run((context) -> {
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			context.getBean(RocksDbMetrics.class).bindTo(meters);
			assertThat(meters.get("tributary.rocksdb.block-cache.capacity").gauge().value())
				.isEqualTo(64.0 * 1024 * 1024);
			assertThat(meters.get("tributary.rocksdb.memtable.limit").gauge().value()).isEqualTo(32.0 * 1024 * 1024);
			assertThat(meters.get("tributary.rocksdb.block-cache.usage").gauge().value()).isZero();
			assertThat(meters.get("tributary.rocksdb.open-instances").gauge().value()).isZero();
		});
	}

	@Test
	void keepsKafkaStreamsRocksDbPropertyMetricsOutOfMicrometer() {
		this.runner.run((context) -> {
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			context.getBeansOfType(MeterFilter.class).values().forEach(meters.config()::meterFilter);
			for (String name : List.of("kafka.stream.state.estimate.num.keys", "kafka.stream.state.block.cache.usage",
					"kafka.stream.state.cur.size.all.mem.tables", "kafka.stream.state.put.rate")) {
				Gauge.builder(name, () -> 1.0).register(meters);
			}
			// Rates and latencies are recorded values, read without touching RocksDB.
			assertThat(meters.getMeters()).extracting((meter) -> meter.getId().getName())
				.containsExactly("kafka.stream.state.put.rate");
		});
	}

	@Test
	void publishesKafkaStreamsRocksDbPropertyMetricsWhenAskedTo() {
		this.runner.withPropertyValues("tributary.rocksdb.kafka-property-metrics=true")
			.run((context) -> assertThat(context).doesNotHaveBean(MeterFilter.class));
	}

	private static Properties streamsProperties(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(ProcessorRegistry.class).get("counts").definition().streamsProperties();
	}

	private static ProcessorConfigurationException failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (cause != null && !(cause instanceof ProcessorConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a ProcessorConfigurationException in %s", context.getStartupFailure()).isNotNull();
		return (ProcessorConfigurationException) cause;
	}

	@StreamProcessor("counts")
	static class Counts {

		void topology(StreamsBuilder builder) {
			builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
				.groupByKey()
				.count(Materialized.as("counts-store"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoresAndMetrics {

		RocksDbMetrics metrics;

		@Bean
		RocksDbStores myStores() {
			return new RocksDbStores(null,
					java.util.Map.of("*", new StoreOptions(Compression.SNAPPY, null, null, null)));
		}

		@Bean
		RocksDbMetrics myMetrics(RocksDbStores stores) {
			this.metrics = new RocksDbMetrics(stores);
			return this.metrics;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMemory {

		@Bean(destroyMethod = "close")
		SharedRocksDbMemory myMemory() {
			return new SharedRocksDbMemory(8L * 1024 * 1024, 0.5, 0.1, false);
		}

	}

}
