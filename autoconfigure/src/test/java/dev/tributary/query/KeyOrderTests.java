package dev.tributary.query;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyOrderTests {

	@SuppressWarnings("unchecked")
	private final KeyOrder longs = new KeyOrder((QueryKeyType<Object>) (QueryKeyType<?>) QueryKeyType.LONG, "s");

	@SuppressWarnings("unchecked")
	private final KeyOrder ints = new KeyOrder((QueryKeyType<Object>) (QueryKeyType<?>) QueryKeyType.INTEGER, "s");

	@SuppressWarnings("unchecked")
	private final KeyOrder strings = new KeyOrder((QueryKeyType<Object>) (QueryKeyType<?>) QueryKeyType.STRING, "s");

	@Test
	void numbersCompareAsNumbersNotAsBytes() {
		assertThat(this.longs.compare(-5L, 5L)).isNegative();
		assertThat(this.ints.compare(-1, 0)).isNegative();
		// Serialized, -5 (0xFF...) sorts after 5 (0x00...).
		assertThat(this.strings.compare("a", "b")).isNegative();
	}

	@Test
	void aSignedRangeIsReadAsTheNegativeSegmentThenTheOthers() {
		assertThat(this.longs.segments(-5L, 5L)).containsExactly(new KeyOrder.Segment(-5L, -1L),
				new KeyOrder.Segment(0L, 5L));
		assertThat(this.longs.segments(-5L, null)).containsExactly(new KeyOrder.Segment(-5L, -1L),
				new KeyOrder.Segment(0L, Long.MAX_VALUE));
		assertThat(this.longs.segments(null, null)).containsExactly(new KeyOrder.Segment(Long.MIN_VALUE, -1L),
				new KeyOrder.Segment(0L, Long.MAX_VALUE));
		assertThat(this.longs.segments(3L, 7L)).containsExactly(new KeyOrder.Segment(3L, 7L));
		assertThat(this.longs.segments(-7L, -3L)).containsExactly(new KeyOrder.Segment(-7L, -3L));
		assertThat(this.longs.segments(null, -3L)).containsExactly(new KeyOrder.Segment(Long.MIN_VALUE, -3L));
		assertThat(this.ints.segments(-2, 2)).containsExactly(new KeyOrder.Segment(-2, -1),
				new KeyOrder.Segment(0, 2));
		assertThat(this.strings.segments("a", "c")).isEqualTo(List.of(new KeyOrder.Segment("a", "c")));
	}

}
