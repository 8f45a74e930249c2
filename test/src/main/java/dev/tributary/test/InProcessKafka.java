package dev.tributary.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring test against a real Kafka broker started in the test's JVM (Kafka's own
 * KRaft server). Use it on a {@code @SpringBootTest}; {@link StreamProcessorTest}
 * includes it.
 *
 * <p>For each distinct test application context, Tributary:
 * <ul>
 * <li>starts a broker on a free port and closes it with the context, or when the
 * context fails to start (a cached context keeps its broker);</li>
 * <li>points every Kafka client at it over {@code PLAINTEXT}, replacing any cluster
 * the application configures ({@code spring.kafka.bootstrap-servers} and its
 * per-client variants, {@code tributary.streams.bootstrap.servers}, a processor's own
 * {@code bootstrap.servers}), and switches {@code tributary.dev-broker} off;</li>
 * <li>creates the {@link #topics() topics} before any processor starts;</li>
 * <li>gives the processors a fresh temporary state directory, deleted with the
 * context, and a short commit interval (100 ms), unless the test's own properties
 * ({@code @SpringBootTest(properties)}, {@code @TestPropertySource}) set them; the
 * application's configuration files do not count. Test methods sharing a cached
 * context share its state;</li>
 * <li>before each test method, waits until every started processor is
 * {@code RUNNING};</li>
 * <li>provides a {@link TestKafka} bean to produce records, read topics and wait for
 * state-store values.</li>
 * </ul>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface InProcessKafka {

	/**
	 * Topics to create before the processors start.
	 * @return the topic names
	 */
	String[] topics() default {};

	/**
	 * Partition count of the created topics, and of topics created automatically.
	 * @return the partition count
	 */
	int partitions() default 1;

	/**
	 * How long to wait, before each test method, for the started processors to be
	 * {@code RUNNING}, in seconds.
	 * @return the timeout in seconds
	 */
	long startupTimeoutSeconds() default 60;

}
