package dev.tributary.benchmarks.queries;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.sun.management.OperatingSystemMXBean;

/**
 * Where the CPU went between two points: this JVM's threads grouped by name (the query
 * clients, each web instance's Tomcat threads, ...), the whole process (with the GC and
 * the JIT, which are not Java threads) and the whole machine (so a measurement shows when
 * other processes competed for the cores).
 */
public final class CpuMeter {

	/**
	 * The group of Java threads no classifier claims: Kafka Streams, the broker, ...
	 */
	public static final String OTHER_THREADS = "other Java threads";

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

	private final Function<String, String> classifier;

	/**
	 * Creates a meter.
	 * @param classifier the group of a thread, by its name, or {@code null} for
	 * {@link #OTHER_THREADS}
	 */
	public CpuMeter(Function<String, String> classifier) {
		this.classifier = classifier;
	}

	/**
	 * The CPU time used so far.
	 * @return the snapshot
	 */
	public Snapshot snapshot() {
		long[] ids = THREADS.getAllThreadIds();
		Map<Long, Long> cpu = new HashMap<>();
		Map<Long, String> names = new HashMap<>();
		ThreadInfo[] infos = THREADS.getThreadInfo(ids);
		for (int i = 0; i < ids.length; i++) {
			long nanos = THREADS.getThreadCpuTime(ids[i]);
			if (infos[i] != null && nanos >= 0) {
				cpu.put(ids[i], nanos);
				names.put(ids[i], infos[i].getThreadName());
			}
		}
		return new Snapshot(System.nanoTime(), cpu, names, OS.getProcessCpuTime(), machineTicks());
	}

	/**
	 * The CPU used between two snapshots. A thread started in between counts from zero; one
	 * that ended in between is missing (Tomcat's and the clients' threads live on).
	 * @param start the earlier snapshot
	 * @param end the later snapshot
	 * @return the CPU used, in cores (CPU seconds per second)
	 */
	public CpuUse between(Snapshot start, Snapshot end) {
		double seconds = (end.nanos() - start.nanos()) / 1e9;
		Map<String, Double> groups = new LinkedHashMap<>();
		end.cpuNanos().forEach((id, nanos) -> {
			String group = this.classifier.apply(end.names().get(id));
			long used = nanos - start.cpuNanos().getOrDefault(id, 0L);
			groups.merge((group != null) ? group : OTHER_THREADS, used / 1e9 / seconds, Double::sum);
		});
		double process = (end.processCpuNanos() - start.processCpuNanos()) / 1e9 / seconds;
		double machine = Double.NaN;
		if (start.machineTicks() != null && end.machineTicks() != null) {
			long busy = end.machineTicks()[0] - start.machineTicks()[0];
			long total = end.machineTicks()[1] - start.machineTicks()[1];
			machine = (total > 0) ? PROCESSORS * (double) busy / total : Double.NaN;
		}
		return new CpuUse(seconds, process, machine, groups);
	}

	/**
	 * Busy and total ticks of all processors since boot, from {@code /proc/stat}.
	 */
	private static long[] machineTicks() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			// cpu user nice system idle iowait irq softirq steal guest guest_nice
			long[] values = Arrays.stream(fields, 1, Math.min(fields.length, 9)).mapToLong(Long::parseLong).toArray();
			long idle = values[3] + values[4];
			long total = Arrays.stream(values).sum();
			return new long[] { total - idle, total };
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * CPU times at one point.
	 *
	 * @param nanos when, {@link System#nanoTime()}
	 * @param cpuNanos CPU time of each live thread, by id
	 * @param names each thread's name, by id
	 * @param processCpuNanos CPU time of the whole process
	 * @param machineTicks busy and total ticks of the machine, or {@code null} where
	 * {@code /proc/stat} is missing
	 */
	public record Snapshot(long nanos, Map<Long, Long> cpuNanos, Map<Long, String> names, long processCpuNanos,
			long[] machineTicks) {
	}

	/**
	 * CPU used over an interval, in cores: 1.0 is one processor busy the whole time.
	 *
	 * @param seconds the interval
	 * @param process this JVM, all threads including the GC and the JIT
	 * @param machine every process on the machine ({@code NaN} if unknown)
	 * @param groups this JVM's Java threads, by group
	 */
	public record CpuUse(double seconds, double process, double machine, Map<String, Double> groups) {

		/**
		 * One group's share.
		 * @param group the group
		 * @return its cores, 0 if no thread of it ran
		 */
		public double group(String group) {
			return this.groups.getOrDefault(group, 0.0);
		}

		/**
		 * What other processes used meanwhile: a measurement with much of this competed for
		 * the cores.
		 * @return cores used by other processes
		 */
		public double otherProcesses() {
			return this.machine - this.process;
		}

	}

}
