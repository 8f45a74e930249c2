package dev.tributary.rocksdb;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

class NativeAllocatorTests {

	private static final String LIBC = "7f1c2a000000-7f1c2a028000 r--p 00000000 fe:00 1835 /usr/lib/x86_64-linux-gnu/libc.so.6";

	private static final String JEMALLOC = "7f1c2b000000-7f1c2b0a0000 r-xp 00000000 fe:00 1900 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

	@Test
	void glibcMallocWithoutArenaLimitGetsAdvice() {
		NativeAllocator allocator = NativeAllocator.of(List.of(LIBC), Map.of());
		assertThat(allocator.name()).isEqualTo("glibc malloc");
		assertThat(allocator.advice()).contains("LD_PRELOAD=", "libjemalloc.so.2", "MALLOC_CONF=background_thread:true",
				"MALLOC_ARENA_MAX=2");
		assertThat(allocator.serious()).isTrue();
	}

	@Test
	void glibcMallocWithArenaLimitIsNamedWithIt() {
		NativeAllocator allocator = NativeAllocator.of(List.of(LIBC), Map.of("MALLOC_ARENA_MAX", "2"));
		assertThat(allocator).isEqualTo(new NativeAllocator("glibc malloc (MALLOC_ARENA_MAX=2)", null, false));
	}

	@Test
	void preloadedJemallocWinsOverTheCLibraryAndIsToldToReturnMemoryPromptly() {
		NativeAllocator allocator = NativeAllocator.of(List.of(LIBC, JEMALLOC), Map.of());
		assertThat(allocator.name()).isEqualTo("jemalloc");
		assertThat(allocator.advice()).contains("MALLOC_CONF=background_thread:true,narenas:2,dirty_decay_ms:1000");
		assertThat(allocator.serious()).isFalse();
		assertThat(NativeAllocator.of(List.of(LIBC, JEMALLOC), Map.of("MALLOC_CONF", "narenas:2")))
			.isEqualTo(new NativeAllocator("jemalloc (MALLOC_CONF=narenas:2)", null, false));
	}

	@Test
	void muslAndUnknownProcessesGetNoAdvice() {
		assertThat(NativeAllocator.of(List.of("7f00-7f10 r-xp 0 0 1 /lib/ld-musl-x86_64.so.1"), Map.of()))
			.isEqualTo(new NativeAllocator("musl malloc", null, false));
		assertThat(NativeAllocator.of(List.of(), Map.of())).isEqualTo(new NativeAllocator("unknown", null, false));
	}

	@Test
	void glibcMallocIsAProblemOnlyUnderALimitThatLeavesLessThanWhatItKeeps() {
		NativeAllocator glibc = NativeAllocator.of(List.of(LIBC), Map.of());
		long mb = 1024 * 1024;
		assertThat(glibc.headroomProblem(null, 2048 * mb, 512 * mb)).isNull();
		assertThat(glibc.headroomProblem(4096 * mb, 2048 * mb, 512 * mb)).isNull();
		assertThat(glibc.headroomProblem(2560 * mb, 2048 * mb, 384 * mb)).isEqualTo("the memory limit of 2560 MB "
				+ "leaves 128 MB beyond the heap (2048 MB) and the budget (384 MB), less than the 256 MB that glibc "
				+ "malloc may keep of what RocksDB frees");
		assertThat(NativeAllocator.of(List.of(LIBC, JEMALLOC), Map.of()).headroomProblem(2560 * mb, 2048 * mb,
				384 * mb)).isNull();
	}

	@Test
	void glibcAdviceSaysHowToInstallJemalloc() {
		assertThat(NativeAllocator.GLIBC_ADVICE).contains("apt-get install libjemalloc2", "dnf install jemalloc");
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void thisLinuxProcessIsRecognized() {
		assertThat(NativeAllocator.current().name()).isNotEqualTo("unknown");
	}

}
