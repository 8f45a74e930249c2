package dev.tributary.benchmarks.throughput;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the JVM settle before a timed run: collects the garbage of earlier runs and waits
 * (briefly) until the JIT compilers are idle, so that no run pays for work the one
 * before it started. On two cores a compiler thread still busy with the previous run's
 * code (a Spring context's start-up, say) would take a good part of a core.
 */
final class Quiesce {

	private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

	private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private Quiesce() {
	}

	static void await() {
		System.gc();
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
			return;
		}
		long deadline = System.nanoTime() + MAX_WAIT_NANOS;
		long compilation = compiler.getTotalCompilationTime();
		long idleSince = System.nanoTime();
		while (System.nanoTime() < deadline && System.nanoTime() - idleSince < IDLE_NANOS) {
			LockSupport.parkNanos(POLL_NANOS);
			long now = compiler.getTotalCompilationTime();
			if (now != compilation) {
				compilation = now;
				idleSince = System.nanoTime();
			}
		}
	}

}
