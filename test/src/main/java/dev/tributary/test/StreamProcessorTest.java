package dev.tributary.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test slice for stream processors: starts only the Tributary runtime, Spring Boot's
 * Kafka support and the {@code @StreamProcessor} beans of the application (no web
 * server, no other components), against an {@link InProcessKafka in-process broker}.
 * Collaborators of the processors come from {@code @Import} or
 * {@code @MockitoBean}.
 *
 * <pre class="code">
 * &#64;StreamProcessorTest(topics = "lines")
 * class WordCountTests {
 *     &#64;Autowired TestKafka kafka;
 *
 *     &#64;Test
 *     void countsWords() {
 *         kafka.send("lines", "a b a");
 *         kafka.awaitStoreValue("word-count", "word-counts", "a", 2L);
 *     }
 * }
 * </pre>
 *
 * <p>With {@code kafka = false} no broker starts and the processors are not started:
 * take a processor from the {@code ProcessorRegistry} and run it on
 * {@link ProcessorTestDriver#of(dev.tributary.runtime.ManagedProcessor)}, with its
 * collaborators injected by Spring.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(StreamProcessorTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(StreamProcessorTypeExcludeFilter.class)
@ImportAutoConfiguration
public @interface StreamProcessorTest {

	/**
	 * Whether to start an in-process broker and the processors. When false, no broker
	 * starts and no processor starts, for tests with {@link ProcessorTestDriver}.
	 * @return whether to run against a broker
	 */
	boolean kafka() default true;

	/**
	 * Topics to create before the processors start.
	 * @return the topic names
	 */
	String[] topics() default {};

	/**
	 * Partition count of the created topics.
	 * @return the partition count
	 */
	int partitions() default 1;

	/**
	 * Properties to add to the environment, in {@code key=value} form.
	 * @return the properties
	 */
	String[] properties() default {};

	/**
	 * Whether to include the application's {@code @StreamProcessor} beans found by
	 * component scanning.
	 * @return whether to use the default filters
	 */
	boolean useDefaultFilters() default true;

	/**
	 * More components to include from component scanning.
	 * @return include filters
	 */
	Filter[] includeFilters() default {};

	/**
	 * Components to exclude from component scanning.
	 * @return exclude filters
	 */
	Filter[] excludeFilters() default {};

	/**
	 * Auto-configuration to leave out of the slice.
	 * @return the auto-configuration classes to exclude
	 */
	@AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
	Class<?>[] excludeAutoConfiguration() default {};

}
