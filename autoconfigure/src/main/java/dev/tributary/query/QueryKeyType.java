package dev.tributary.query;

import java.util.Base64;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;

/**
 * How the keys of a state store are written as text (in query parameters and JSON) and
 * serialized (to find the partition, and so the instance, that holds a key).
 *
 * <p>Built in: {@link #STRING}, {@link #LONG}, {@link #INTEGER}, {@link #UUID} and
 * {@link #BYTES} (base64). Declare a {@code QueryKeyType} bean for your own key types
 * (for example a record key serialized as JSON) and name it in
 * {@code tributary.processors.<name>.stores.<store>.key-type}.
 *
 * @param <K> the key type
 */
public interface QueryKeyType<K> {

	/** Text keys, serialized as UTF-8. */
	QueryKeyType<String> STRING = of("string", String.class, Function.identity(), Object::toString,
			Serdes.String().serializer(), "any text");

	/** {@code long} keys, serialized big-endian as Kafka's {@code LongSerializer} does. */
	QueryKeyType<Long> LONG = of("long", Long.class, Long::valueOf, Object::toString, Serdes.Long().serializer(),
			"a whole number such as 42");

	/** {@code int} keys, serialized big-endian as Kafka's {@code IntegerSerializer} does. */
	QueryKeyType<Integer> INTEGER = of("integer", Integer.class, Integer::valueOf, Object::toString,
			Serdes.Integer().serializer(), "a whole number between -2147483648 and 2147483647");

	/** UUID keys, serialized as their text form as Kafka's {@code UUIDSerializer} does. */
	QueryKeyType<UUID> UUID = of("uuid", java.util.UUID.class, java.util.UUID::fromString, Object::toString,
			Serdes.UUID().serializer(), "a UUID such as 123e4567-e89b-12d3-a456-426614174000");

	/** Raw byte keys ({@code Bytes}), written as base64. */
	QueryKeyType<Bytes> BYTES = of("bytes", Bytes.class, (text) -> Bytes.wrap(Base64.getDecoder().decode(text)),
			(bytes) -> Base64.getEncoder().encodeToString(((Bytes) bytes).get()), Serdes.Bytes().serializer(),
			"base64-encoded bytes");

	/**
	 * The name used in configuration ({@code key-type}).
	 * @return the name
	 */
	String name();

	/**
	 * The Java type of the keys.
	 * @return the key class
	 */
	Class<K> type();

	/**
	 * Parses a key given as text.
	 * @param text the text
	 * @return the key
	 * @throws RuntimeException if the text is not a valid key; the caller reports
	 * {@link #format()}
	 */
	K parse(String text);

	/**
	 * Writes a key as text, the inverse of {@link #parse(String)}.
	 * @param key the key
	 * @return the text
	 */
	String toText(Object key);

	/**
	 * Serializes keys as the store's key serde does, so a key's partition can be found.
	 * @return the serializer
	 */
	Serializer<K> serializer();

	/**
	 * What a valid key looks like, for error messages.
	 * @return a short description
	 */
	String format();

	/**
	 * Creates a key type.
	 * @param <K> the key type
	 * @param name the name used in configuration
	 * @param type the key class
	 * @param parser parses text
	 * @param formatter writes text
	 * @param serializer serializes keys as the store does
	 * @param format what a valid key looks like
	 * @return the key type
	 */
	static <K> QueryKeyType<K> of(String name, Class<K> type, Function<String, K> parser,
			Function<Object, String> formatter, Serializer<K> serializer, String format) {
		return new QueryKeyType<>() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public Class<K> type() {
				return type;
			}

			@Override
			public K parse(String text) {
				return parser.apply(text);
			}

			@Override
			public String toText(Object key) {
				return formatter.apply(key);
			}

			@Override
			public Serializer<K> serializer() {
				return serializer;
			}

			@Override
			public String format() {
				return format;
			}

			@Override
			public String toString() {
				return name;
			}

		};
	}

}
