package dev.tributary.benchmarks.queries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of one measurement with two events only, so that it hardly slows the
 * measurement (JFR's {@code profile} settings cut the 16-client rate by 8x): Java stacks
 * of running threads sampled every 5 ms, and garbage collections. Then where the time
 * went in the measured interval: samples per thread group, the methods most often on the
 * stack (inclusive) and on top of it (self) per group, the packages of the top frames,
 * and the collector's pauses. A look at the hot paths, not a precise profile: JFR samples
 * only threads running Java code, a few per period, and keeps the innermost 64 frames of
 * a stack (so the outermost frames of deep stacks are undercounted). Starting a recording takes a
 * while, so it starts with the warm-up ({@link #begin()}) and the summary keeps only the
 * samples taken in the measured interval.
 */
public final class Profile implements QueryBenchmark.Interval {

	private static final int TOP_INCLUSIVE = 60;

	private static final int TOP_SELF = 20;

	private final Path file;

	private final Function<String, String> classifier;

	private Recording recording;

	private volatile Instant measuredFrom = Instant.MAX;

	private volatile Instant measuredTo = Instant.MAX;

	/**
	 * Creates a profile.
	 * @param file where the recording is written
	 * @param classifier the group of a thread, by its name, or {@code null}
	 */
	public Profile(Path file, Function<String, String> classifier) {
		this.file = file;
		this.classifier = classifier;
	}

	/**
	 * Starts and stops a recording like the profiles', before the warm-up: the first
	 * recording in a JVM sets JFR up, which slowed everything for the next minute (the JIT
	 * compiles again), and would otherwise do so in the profiled measurement.
	 */
	public static void initialize() {
		try (Recording recording = new Recording()) {
			recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5));
			recording.enable("jdk.GarbageCollection");
			recording.start();
			recording.stop();
		}
	}

	/**
	 * Starts recording; call before the measurement's warm-up.
	 */
	public void begin() {
		this.recording = new Recording();
		this.recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5));
		this.recording.enable("jdk.GarbageCollection");
		this.recording.setToDisk(true);
		this.recording.start();
	}

	@Override
	public void started() {
		this.measuredFrom = Instant.now();
	}

	@Override
	public void ended() {
		this.measuredTo = Instant.now();
		try {
			this.recording.stop();
			Files.createDirectories(this.file.toAbsolutePath().getParent());
			this.recording.dump(this.file);
			this.recording.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Where the time went, as text.
	 * @return the summary
	 */
	public String summary() {
		Map<String, Integer> samplesByGroup = new HashMap<>();
		Map<String, Map<String, Integer>> inclusive = new HashMap<>();
		Map<String, Map<String, Integer>> self = new HashMap<>();
		Map<String, Map<String, Integer>> selfPackages = new HashMap<>();
		int total = 0;
		List<Duration> pauses = new ArrayList<>();
		try (RecordingFile events = new RecordingFile(this.file)) {
			while (events.hasMoreEvents()) {
				RecordedEvent event = events.readEvent();
				if (event.getStartTime().isBefore(this.measuredFrom) || event.getStartTime().isAfter(this.measuredTo)) {
					continue;
				}
				if (event.getEventType().getName().equals("jdk.GarbageCollection")) {
					pauses.add(event.getDuration("sumOfPauses"));
					continue;
				}
				if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
					continue;
				}
				RecordedStackTrace stack = event.getStackTrace();
				String thread = (event.getThread("sampledThread") != null)
						? event.getThread("sampledThread").getJavaName() : null;
				if (stack == null || thread == null) {
					continue;
				}
				String group = this.classifier.apply(thread);
				group = (group != null) ? group : CpuMeter.OTHER_THREADS;
				total++;
				samplesByGroup.merge(group, 1, Integer::sum);
				List<RecordedFrame> frames = stack.getFrames();
				if (!frames.isEmpty()) {
					self.computeIfAbsent(group, (key) -> new HashMap<>()).merge(name(frames.get(0)), 1, Integer::sum);
					selfPackages.computeIfAbsent(group, (key) -> new HashMap<>())
						.merge(packageOf(frames.get(0)), 1, Integer::sum);
				}
				Set<String> seen = new HashSet<>();
				for (RecordedFrame frame : frames) {
					String method = name(frame);
					if (seen.add(method)) {
						inclusive.computeIfAbsent(group, (key) -> new HashMap<>()).merge(method, 1, Integer::sum);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		StringBuilder text = new StringBuilder();
		text.append(String.format(Locale.ROOT, "Profile %s: %d samples of running Java code in the measured interval%n", this.file, total));
		text.append(String.format(Locale.ROOT, "  GC: %d collections, pauses %,.1f ms in all, longest %,.1f ms%n",
				pauses.size(), pauses.stream().mapToLong(Duration::toNanos).sum() / 1e6,
				pauses.stream().mapToLong(Duration::toNanos).max().orElse(0) / 1e6));
		for (Map.Entry<String, Integer> group : sortedDescending(samplesByGroup)) {
			int samples = group.getValue();
			text.append(String.format(Locale.ROOT, "  %s: %d samples (%.0f %%)%n", group.getKey(), samples,
					100.0 * samples / total));
			if (samples < 20) {
				continue;
			}
			text.append("    on the stack (inclusive):\n");
			top(text, inclusive.get(group.getKey()), samples, TOP_INCLUSIVE);
			text.append("    on top (self):\n");
			top(text, self.get(group.getKey()), samples, TOP_SELF);
			text.append("    on top (self), by package:\n");
			top(text, selfPackages.get(group.getKey()), samples, TOP_SELF);
		}
		return text.toString();
	}

	private static void top(StringBuilder text, Map<String, Integer> counts, int samples, int limit) {
		sortedDescending(counts).stream()
			.limit(limit)
			.forEach((entry) -> text.append(String.format(Locale.ROOT, "      %5.1f %%  %s%n",
					100.0 * entry.getValue() / samples, entry.getKey())));
	}

	private static List<Map.Entry<String, Integer>> sortedDescending(Map<String, Integer> counts) {
		return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).toList();
	}

	/**
	 * The first three parts of the frame's package, such as {@code org.springframework.web}.
	 */
	private static String packageOf(RecordedFrame frame) {
		String type = frame.getMethod().getType().getName();
		String[] parts = type.split("\\.");
		int depth = Math.min(3, parts.length - 1);
		return (depth <= 0) ? type : String.join(".", Arrays.copyOf(parts, depth));
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

}
