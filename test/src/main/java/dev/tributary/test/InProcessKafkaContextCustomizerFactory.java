package dev.tributary.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Adds an in-process broker to the contexts of tests annotated with
 * {@link InProcessKafka} or {@link StreamProcessorTest}.
 */
class InProcessKafkaContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		InProcessKafkaSettings settings = InProcessKafkaSettings.of(testClass);
		return (settings != null) ? new InProcessKafkaContextCustomizer(settings) : null;
	}

	/**
	 * What a test asked for, from whichever annotation it carries.
	 */
	record InProcessKafkaSettings(boolean enabled, List<String> topics, int partitions, long startupTimeoutSeconds) {

		static @Nullable InProcessKafkaSettings of(Class<?> testClass) {
			MergedAnnotations annotations = MergedAnnotations.search(SearchStrategy.TYPE_HIERARCHY)
				.withEnclosingClasses(TestContextAnnotationUtils::searchEnclosingClass)
				.from(testClass);
			MergedAnnotation<StreamProcessorTest> slice = annotations.get(StreamProcessorTest.class);
			MergedAnnotation<InProcessKafka> kafka = annotations.get(InProcessKafka.class);
			if (kafka.isPresent()) {
				return new InProcessKafkaSettings(true, List.of(kafka.getStringArray("topics")),
						kafka.getInt("partitions"), kafka.getLong("startupTimeoutSeconds"));
			}
			if (slice.isPresent()) {
				return new InProcessKafkaSettings(slice.getBoolean("kafka"), List.of(slice.getStringArray("topics")),
						slice.getInt("partitions"), 60);
			}
			return null;
		}

	}

}
