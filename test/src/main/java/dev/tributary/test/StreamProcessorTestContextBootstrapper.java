package dev.tributary.test;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/**
 * Bootstraps {@link StreamProcessorTest} contexts with the slice's properties.
 */
class StreamProcessorTestContextBootstrapper extends TestSliceTestContextBootstrapper<StreamProcessorTest> {

}
