package dev.tributary.benchmarks.throughput;

import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

/**
 * CPU time used by this process, all threads: the stream threads, their clients and the
 * in-process broker, the same for both variants but for what the variant itself adds.
 */
final class ProcessCpu {

	private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private ProcessCpu() {
	}

	static long nanos() {
		return OS.getProcessCpuTime();
	}

}
