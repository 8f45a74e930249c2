package dev.tributary.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the figures were measured on, for the report.
 */
record Machine(int processors, long memoryBytes, String jdk, String os, String cpu) {

	static Machine current() {
		long memory = -1;
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			memory = os.getTotalMemorySize();
		}
		return new Machine(Runtime.getRuntime().availableProcessors(), memory,
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
				System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
						+ System.getProperty("os.arch") + ")",
				cpuModel());
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	/**
	 * The one-minute load average: how busy the machine is with other work.
	 * @return the load average, or "unknown"
	 */
	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	String describe() {
		return this.processors + " processors (" + this.cpu + "), " + Math.round(this.memoryBytes / (1024.0 * 1024 * 1024))
				+ " GiB memory, " + this.jdk + ", " + this.os;
	}

}
