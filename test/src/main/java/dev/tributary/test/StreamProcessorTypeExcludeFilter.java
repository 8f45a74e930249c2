package dev.tributary.test;

import java.util.Set;

import dev.tributary.StreamProcessor;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * Lets only {@code @StreamProcessor} beans through component scanning in a
 * {@link StreamProcessorTest}.
 */
class StreamProcessorTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<StreamProcessorTest> {

	StreamProcessorTypeExcludeFilter(Class<?> testClass) {
		super(testClass);
	}

	@Override
	protected Set<Class<?>> getKnownIncludes() {
		return Set.of(StreamProcessor.class);
	}

}
