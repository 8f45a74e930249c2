package dev.tributary.query;

import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyTypesTests {

	@Test
	void theConfiguredKeyTypeWinsThenDefaultKeySerdeThenString() {
		KeyTypes types = new KeyTypes(List.of(),
				(processor, store) -> "configured".equals(store) ? "uuid" : null);
		Properties longs = new Properties();
		longs.setProperty("default.key.serde", "org.apache.kafka.common.serialization.Serdes$LongSerde");
		assertThat(types.resolve("p", longs, "configured").type()).isSameAs(QueryKeyType.UUID);
		assertThat(types.resolve("p", longs, "configured").source())
			.isEqualTo("tributary.processors.p.stores.configured.key-type");
		assertThat(types.resolve("p", longs, "other").type()).isSameAs(QueryKeyType.LONG);
		assertThat(types.resolve("p", longs, "other").source()).isEqualTo("default.key.serde");
		assertThat(types.resolve("p", new Properties(), "other").type()).isSameAs(QueryKeyType.STRING);
		assertThat(types.resolve("p", new Properties(), "other").source()).isEqualTo("default");
	}

	@Test
	void aSerdeClassObjectCountsLikeItsName() {
		KeyTypes types = new KeyTypes(List.of(), (processor, store) -> null);
		Properties integers = new Properties();
		integers.put("default.key.serde", org.apache.kafka.common.serialization.Serdes.IntegerSerde.class);
		assertThat(types.resolve("p", integers, "s").type()).isSameAs(QueryKeyType.INTEGER);
	}

	@Test
	void aDefaultKeySerdeThatIsNoBuiltInOneFallsBackToStringNotToTheData() {
		KeyTypes types = new KeyTypes(List.of(), (processor, store) -> null);
		Properties json = new Properties();
		json.setProperty("default.key.serde", "com.example.JsonSerde");
		assertThat(types.resolve("p", json, "s").type()).isSameAs(QueryKeyType.STRING);
	}

}
