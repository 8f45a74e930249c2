package dev.tributary.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.test.InProcessKafkaContextCustomizerFactory.InProcessKafkaSettings;
import org.apache.kafka.streams.KafkaStreams;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Before each test method of an {@link InProcessKafka} test, waits until every started
 * processor is {@code RUNNING}, so a test never races its processors' start-up.
 */
class ProcessorsRunningTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return 5000;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		InProcessKafkaSettings settings = InProcessKafkaSettings.of(testContext.getTestClass());
		if (settings == null || !settings.enabled()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		ProcessorRegistry registry = context.getBeanProvider(ProcessorRegistry.class).getIfAvailable();
		if (registry == null) {
			return;
		}
		Duration timeout = Duration.ofSeconds(settings.startupTimeoutSeconds());
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			List<ManagedProcessor> waiting = registry.processors()
				.stream()
				.filter((processor) -> processor.isStarted() && processor.state() != KafkaStreams.State.RUNNING)
				.toList();
			if (waiting.isEmpty()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Processors not RUNNING within " + timeout + ": " + waiting);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
	}

}
