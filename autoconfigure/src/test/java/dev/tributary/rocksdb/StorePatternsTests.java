package dev.tributary.rocksdb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StorePatternsTests {

	@Test
	void theMostSpecificPatternWinsForEachOptionWhateverTheOrder() {
		Map<String, StoreOptions> patterns = new LinkedHashMap<>();
		patterns.put("orders-counts", new StoreOptions(Compression.ZSTD, null, null, null));
		patterns.put("orders-*", new StoreOptions(Compression.LZ4, 16384L, null, null));
		patterns.put("*", new StoreOptions(Compression.SNAPPY, 8192L, 12.0, 4));
		StorePatterns storePatterns = new StorePatterns(patterns);

		assertThat(storePatterns.optionsFor("orders-counts")).isEqualTo(new StoreOptions(Compression.ZSTD, 16384L, 12.0, 4));
		assertThat(storePatterns.optionsFor("orders-latest")).isEqualTo(new StoreOptions(Compression.LZ4, 16384L, 12.0, 4));
		assertThat(storePatterns.optionsFor("payments")).isEqualTo(new StoreOptions(Compression.SNAPPY, 8192L, 12.0, 4));
	}

	@Test
	void amongEquallySpecificPatternsTheLastConfiguredWins() {
		Map<String, StoreOptions> patterns = new LinkedHashMap<>();
		patterns.put("a*", new StoreOptions(Compression.LZ4, null, null, null));
		patterns.put("*b", new StoreOptions(Compression.ZSTD, null, null, null));
		assertThat(new StorePatterns(patterns).optionsFor("ab").compression()).isEqualTo(Compression.ZSTD);
	}

	@Test
	void questionMarkMatchesOneCharacterAndDotsAreLiteral() {
		StorePatterns patterns = new StorePatterns(
				Map.of("store-?.v1", new StoreOptions(null, null, null, 5)));
		assertThat(patterns.optionsFor("store-a.v1").maxWriteBufferNumber()).isEqualTo(5);
		assertThat(patterns.optionsFor("store-ab.v1").maxWriteBufferNumber()).isNull();
		assertThat(patterns.optionsFor("store-axv1").maxWriteBufferNumber()).isNull();
	}

	@Test
	void aPatternAppliesWhenItMatchesAnyOfTheNamesGiven() {
		StorePatterns patterns = new StorePatterns(Map.of("windows", new StoreOptions(null, null, 0.0, null)));
		assertThat(patterns.optionsFor("windows.1700000000000", "windows").bloomFilterBits()).isZero();
		assertThat(patterns.optionsFor("windows.1700000000000").bloomFilterBits()).isNull();
	}

	@Test
	void reportsPatternsMatchingNoStore() {
		Map<String, StoreOptions> patterns = new LinkedHashMap<>();
		patterns.put("orders-", StoreOptions.DEFAULTS);
		patterns.put("orders-*", StoreOptions.DEFAULTS);
		patterns.put("payments", StoreOptions.DEFAULTS);
		assertThat(new StorePatterns(patterns).unmatched(List.of("orders-counts", "payments")))
			.containsExactly("orders-");
	}

}
