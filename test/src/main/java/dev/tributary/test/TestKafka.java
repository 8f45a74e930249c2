package dev.tributary.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import dev.tributary.devbroker.DevBroker;
import dev.tributary.query.QueryException;
import dev.tributary.query.StateStoreQueryService;
import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Produces records to, reads records from and waits for state in the in-process broker
 * of an {@link InProcessKafka} or {@link StreamProcessorTest} test. Every wait is bounded
 * and fails with an {@link AssertionError} that says what was seen.
 */
public class TestKafka implements DisposableBean {

	/**
	 * The timeout of the methods that take none.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private final DevBroker broker;

	private final ObjectProvider<ProcessorRegistry> processors;

	private final ObjectProvider<StateStoreQueryService> queries;

	private KafkaProducer<byte[], byte[]> producer;

	TestKafka(@Qualifier(InProcessKafkaContextCustomizer.BROKER_BEAN_NAME) DevBroker broker,
			ObjectProvider<ProcessorRegistry> processors, ObjectProvider<StateStoreQueryService> queries) {
		this.broker = broker;
		this.processors = processors;
		this.queries = queries;
	}

	/**
	 * The broker's address.
	 * @return {@code localhost:<port>}
	 */
	public String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	/**
	 * Creates topics, if they do not exist, and waits until they are served.
	 * @param partitions the partition count
	 * @param topics the topic names
	 */
	public void createTopics(int partitions, String... topics) {
		this.broker.createTopics(List.of(topics), partitions);
	}

	/**
	 * Sends a string value without a key and waits for the broker to acknowledge it.
	 * @param topic the topic
	 * @param value the value
	 */
	public void send(String topic, String value) {
		send(topic, null, value);
	}

	/**
	 * Sends a string key and value and waits for the broker to acknowledge it.
	 * @param topic the topic
	 * @param key the key, may be {@code null}
	 * @param value the value
	 */
	public void send(String topic, String key, String value) {
		send(new ProducerRecord<>(topic, key, value), new StringSerializer(), new StringSerializer());
	}

	/**
	 * Sends a record and waits for the broker to acknowledge it.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param record the record
	 * @param keySerializer serializes the key
	 * @param valueSerializer serializes the value
	 */
	public <K, V> void send(ProducerRecord<K, V> record, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
		byte[] key = keySerializer.serialize(record.topic(), record.headers(), record.key());
		byte[] value = valueSerializer.serialize(record.topic(), record.headers(), record.value());
		try {
			producer().send(new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), key, value,
					record.headers()))
				.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("Could not send to '" + record.topic() + "': " + ex, ex);
		}
	}

	/**
	 * Reads string records of a topic from its beginning until {@code count} have
	 * arrived.
	 * @param topic the topic
	 * @param count how many records to wait for
	 * @return exactly the first {@code count} records (across partitions, each
	 * partition in order)
	 * @throws AssertionError if fewer arrive within {@link #DEFAULT_TIMEOUT}
	 */
	public List<ConsumerRecord<String, String>> read(String topic, int count) {
		return read(topic, new StringDeserializer(), new StringDeserializer(), count, DEFAULT_TIMEOUT);
	}

	/**
	 * Reads records of a topic from its beginning (committed records only, so output of
	 * exactly-once processors is read as consumers see it) until {@code count} have
	 * arrived.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param topic the topic
	 * @param keyDeserializer deserializes keys
	 * @param valueDeserializer deserializes values
	 * @param count how many records to wait for
	 * @param timeout how long to wait
	 * @return exactly the first {@code count} records
	 * @throws AssertionError if fewer arrive within the timeout
	 */
	public <K, V> List<ConsumerRecord<K, V>> read(String topic, Deserializer<K> keyDeserializer,
			Deserializer<V> valueDeserializer, int count, Duration timeout) {
		List<ConsumerRecord<K, V>> records = new ArrayList<>();
		try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "tributary-test-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				"read_committed"), keyDeserializer, valueDeserializer)) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (records.size() < count && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
			}
		}
		if (records.size() < count) {
			throw new AssertionError("Expected " + count + " records on '" + topic + "' within " + timeout
					+ " but got " + records.size() + ": " + records.stream().map(ConsumerRecord::value).toList());
		}
		return records.subList(0, count);
	}

	/**
	 * Waits until a key-value store of a processor holds the expected value for a key,
	 * asking the {@code StateStoreQueryService} (so the key may live on any instance).
	 * @param processor the processor name
	 * @param store the store name
	 * @param key the key
	 * @param expected the expected value
	 * @throws AssertionError if the store does not hold it within
	 * {@link #DEFAULT_TIMEOUT}; the message says the last value seen
	 */
	public void awaitStoreValue(String processor, String store, Object key, Object expected) {
		awaitStoreValue(processor, store, key, expected, DEFAULT_TIMEOUT);
	}

	/**
	 * Waits until a key-value store of a processor holds the expected value for a key,
	 * asking the {@code StateStoreQueryService} (so the key may live on any instance).
	 * @param processor the processor name
	 * @param store the store name
	 * @param key the key
	 * @param expected the expected value
	 * @param timeout how long to wait
	 * @throws AssertionError if the store does not hold it within the timeout
	 */
	public void awaitStoreValue(String processor, String store, Object key, Object expected, Duration timeout) {
		StateStoreQueryService queries = this.queries.getIfAvailable();
		long deadline = System.nanoTime() + timeout.toNanos();
		String problem = "no value";
		while (System.nanoTime() < deadline) {
			try {
				Object value = (queries != null) ? queries.get(processor, store, key).value(expected.getClass())
						: localValue(processor, store, key);
				if (Objects.equals(value, expected)) {
					return;
				}
				problem = "last value " + value;
			}
			catch (QueryException ex) {
				problem = ex.getMessage();
			}
			catch (InvalidStateStoreException ex) {
				problem = "store not queryable: " + ex.getMessage();
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
		throw new AssertionError("Store '" + store + "' of processor '" + processor + "' did not hold " + expected
				+ " for key " + key + " within " + timeout + " (" + problem + ")");
	}

	private Object localValue(String processor, String store, Object key) {
		KafkaStreams streams = this.processors.getObject().get(processor).kafkaStreams().orElse(null);
		if (streams == null) {
			throw new QueryException(QueryException.Reason.UNAVAILABLE, "processor not started");
		}
		ReadOnlyKeyValueStore<Object, Object> view = streams
			.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
		return view.get(key);
	}

	private synchronized KafkaProducer<byte[], byte[]> producer() {
		if (this.producer == null) {
			this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
					ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
					org.apache.kafka.common.serialization.ByteArraySerializer.class,
					ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
					org.apache.kafka.common.serialization.ByteArraySerializer.class));
		}
		return this.producer;
	}

	@Override
	public synchronized void destroy() {
		if (this.producer != null) {
			this.producer.close(Duration.ofSeconds(5));
		}
	}

}
