package dev.tributary;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a Spring bean as a stream processor: Tributary runs its topology as a Kafka
 * Streams application of its own, with its own {@code KafkaStreams} instance,
 * {@code application.id} and state directory, started and stopped with the Spring
 * application context.
 *
 * <p>The bean hands over its topology through exactly one method, of any name and
 * visibility:
 * <ul>
 * <li>a method taking a {@link org.apache.kafka.streams.StreamsBuilder} for the Kafka
 * Streams DSL, for example {@code void topology(StreamsBuilder builder)}; or</li>
 * <li>a method without parameters returning a {@link org.apache.kafka.streams.Topology}
 * for the Processor API, for example {@code Topology topology()}.</li>
 * </ul>
 * Tributary calls that method each time the processor starts, with a builder that
 * already carries the processor's resolved configuration.
 *
 * <pre class="code">
 * &#64;StreamProcessor("word-count")
 * class WordCount {
 *     void topology(StreamsBuilder builder) {
 *         builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
 *                // ...
 *     }
 * }
 * </pre>
 *
 * <p>The processor is configured under {@code tributary.processors.<name>.*}; its
 * application id defaults to {@code <spring.application.name>-<name>}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface StreamProcessor {

	/**
	 * The processor's name: unique in the application, used in configuration keys,
	 * the default application id, metrics tags and Actuator paths. Letters, digits,
	 * {@code .}, {@code _} and {@code -} only.
	 * @return the processor name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * Alias for {@link #value()}.
	 * @return the processor name
	 */
	@AliasFor("value")
	String name() default "";

}
