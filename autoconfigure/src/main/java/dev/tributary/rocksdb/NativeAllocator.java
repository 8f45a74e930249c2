package dev.tributary.rocksdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The C allocator RocksDB's memory comes from, read from the libraries mapped into the
 * process. It decides how much memory the process keeps beyond what RocksDB holds: as
 * blocks come and go from the cache, glibc's malloc keeps much of what RocksDB frees in
 * its per-thread arenas, so resident memory creeps past heap + budget with the data
 * volume; jemalloc returns it, within a second when told to.
 *
 * @param name the allocator, such as {@code jemalloc} or {@code glibc malloc}
 * @param advice what to change for a bounded resident set, or {@code null} when nothing
 * @param serious whether ignoring the advice costs memory that grows with the data
 */
record NativeAllocator(String name, @Nullable String advice, boolean serious) {

	/** The jemalloc options the benchmark measured a fixed overhead with. */
	static final String MALLOC_CONF = "background_thread:true,narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0";

	static final String GLIBC_ADVICE = "resident memory grows past heap + budget as the data grows, "
			+ "as freed RocksDB memory stays in malloc's per-thread arenas. Run the JVM with jemalloc: install it "
			+ "(apt-get install libjemalloc2 on Debian/Ubuntu, dnf install jemalloc on RHEL/Fedora) and set "
			+ "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=" + MALLOC_CONF
			+ ", or at least MALLOC_ARENA_MAX=2; see 'The C allocator' in Tributary's RocksDB guide";

	/**
	 * What glibc's malloc kept beyond heap + budget in the benchmark (107 to 265 MB, and
	 * growing with the data): less room than this under a container's memory limit risks
	 * the kernel's OOM killer.
	 */
	static final long GLIBC_HEADROOM = 256L * 1024 * 1024;

	static final String JEMALLOC_ADVICE = "set MALLOC_CONF=" + MALLOC_CONF
			+ " so that jemalloc returns memory RocksDB frees within a second instead of keeping tens of MB";

	/**
	 * The allocator of this process.
	 * @return the allocator; {@code unknown} where {@code /proc/self/maps} cannot be read
	 */
	static NativeAllocator current() {
		try {
			return of(Files.readAllLines(Path.of("/proc/self/maps")), System.getenv());
		}
		catch (IOException | RuntimeException ex) {
			return new NativeAllocator("unknown", null, false);
		}
	}

	/**
	 * The allocator, from the lines of a process's {@code /proc/<pid>/maps} and its
	 * environment: a preloaded jemalloc, tcmalloc or mimalloc wins over the C library's
	 * malloc.
	 * @param maps the memory map's lines
	 * @param environment the process's environment variables
	 * @return the allocator
	 */
	static NativeAllocator of(List<String> maps, Map<String, String> environment) {
		if (mapped(maps, "/libjemalloc")) {
			String conf = environment.get("MALLOC_CONF");
			return (conf != null) ? new NativeAllocator("jemalloc (MALLOC_CONF=" + conf + ")", null, false)
					: new NativeAllocator("jemalloc", JEMALLOC_ADVICE, false);
		}
		for (String library : List.of("tcmalloc", "mimalloc")) {
			if (mapped(maps, "/lib" + library)) {
				return new NativeAllocator(library, null, false);
			}
		}
		if (mapped(maps, "/ld-musl")) {
			return new NativeAllocator("musl malloc", null, false);
		}
		if (mapped(maps, "/libc.so.6")) {
			String arenas = environment.get("MALLOC_ARENA_MAX");
			return (arenas != null)
					? new NativeAllocator("glibc malloc (MALLOC_ARENA_MAX=" + arenas + ")", null, false)
					: new NativeAllocator("glibc malloc", GLIBC_ADVICE, true);
		}
		return new NativeAllocator("unknown", null, false);
	}

	/**
	 * Whether this allocator, under a memory limit, leaves too little room beyond the heap
	 * and the RocksDB budget for the memory it keeps: only glibc's malloc without an arena
	 * limit, only under a known limit.
	 * @param memoryLimit the process's memory limit in bytes (its container's), or
	 * {@code null} when there is none
	 * @param maxHeap the JVM's maximum heap in bytes
	 * @param budget the RocksDB budget in bytes
	 * @return why there is a problem, or {@code null} when there is none
	 */
	@Nullable String headroomProblem(@Nullable Long memoryLimit, long maxHeap, long budget) {
		if (!this.serious || memoryLimit == null) {
			return null;
		}
		long headroom = memoryLimit - maxHeap - budget;
		if (headroom >= GLIBC_HEADROOM) {
			return null;
		}
		return "the memory limit of " + mb(memoryLimit) + " leaves " + mb(Math.max(0, headroom))
				+ " beyond the heap (" + mb(maxHeap) + ") and the budget (" + mb(budget) + "), less than the "
				+ mb(GLIBC_HEADROOM) + " that " + this.name + " may keep of what RocksDB frees";
	}

	/**
	 * The memory limit of this process's control group (a container's limit), from cgroup
	 * v2 or v1.
	 * @return the limit in bytes, or {@code null} when there is none or it cannot be read
	 */
	static @Nullable Long containerMemoryLimit() {
		for (Path file : List.of(Path.of("/sys/fs/cgroup/memory.max"),
				Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"))) {
			try {
				String value = Files.readString(file).trim();
				// cgroup v1 says "no limit" with a huge number near Long.MAX_VALUE.
				if (!value.equals("max") && !value.isEmpty() && value.length() < 19) {
					return Long.parseLong(value);
				}
			}
			catch (IOException | RuntimeException ex) {
				// not this cgroup version, or no cgroup at all
			}
		}
		return null;
	}

	private static String mb(long bytes) {
		return (bytes / (1024 * 1024)) + " MB";
	}

	private static boolean mapped(List<String> maps, String library) {
		return maps.stream().anyMatch((line) -> line.contains(library));
	}

}
