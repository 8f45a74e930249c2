package dev.tributary.query;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryKeyTypesTests {

	@Test
	void aTypedKeyFromTheJavaApiPicksItsTypeUntilTheStoreTypeIsKnown() {
		QueryKeyTypes types = new QueryKeyTypes(List.of(), (processor, store) -> null);
		// Nothing learned yet: the key's own class decides, for this query only.
		assertThat(types.forKey("orders", "totals", 42L).name()).isEqualTo("long");
		assertThat(types.forKey("orders", "totals", UUID.randomUUID()).name()).isEqualTo("uuid");
		assertThat(types.isKnown("orders", "totals")).isFalse();
		// Learned from the data: the store's type wins when the key fits it.
		types.resolve("orders", "totals", 7L);
		assertThat(types.forKey("orders", "totals", 42L).name()).isEqualTo("long");
	}

	@Test
	void aConfiguredKeyTypeIsNeverOverriddenByTheCallersKey() {
		QueryKeyTypes types = new QueryKeyTypes(List.of(), (processor, store) -> "string");
		assertThat(types.forKey("orders", "totals", 42L).name()).isEqualTo("string");
	}

}
