package dev.tributary.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * The order of a store's keys in answers and cursors: numeric for {@code long} and
 * {@code integer} keys, else the byte order of the serialized keys (RocksDB's order; for
 * strings, UTF-8 byte order). Stores keep keys in byte order, where negative numbers
 * come after positive ones, so a numeric range is read as up to two byte-ordered
 * segments: the negative keys, then the others.
 */
final class KeyOrder {

	private final QueryKeyType<Object> keyType;

	private final String store;

	private final boolean signedLong;

	private final boolean signedInt;

	KeyOrder(QueryKeyType<Object> keyType, String store) {
		this.keyType = keyType;
		this.store = store;
		this.signedLong = keyType == (Object) QueryKeyType.LONG;
		this.signedInt = keyType == (Object) QueryKeyType.INTEGER;
	}

	int compare(Object a, Object b) {
		if (this.signedLong) {
			return Long.compare((Long) a, (Long) b);
		}
		if (this.signedInt) {
			return Integer.compare((Integer) a, (Integer) b);
		}
		return Bytes.BYTES_LEXICO_COMPARATOR.compare(bytes(a), bytes(b));
	}

	Comparator<Object> comparator() {
		return this::compare;
	}

	byte[] bytes(Object key) {
		return this.keyType.serializer().serialize(this.store, key);
	}

	/**
	 * The byte-ordered segments that together hold the keys from {@code lower} to
	 * {@code upper} (inclusive, {@code null} for open), in this order.
	 */
	List<Segment> segments(@Nullable Object lower, @Nullable Object upper) {
		List<Segment> segments = new ArrayList<>(2);
		if (this.signedLong) {
			Long from = (Long) lower;
			Long to = (Long) upper;
			if (from == null || from < 0) {
				long negativeTo = (to == null) ? -1 : Math.min(to, -1);
				long negativeFrom = (from == null) ? Long.MIN_VALUE : from;
				if (negativeFrom <= negativeTo) {
					segments.add(new Segment(negativeFrom, negativeTo));
				}
			}
			if (to == null || to >= 0) {
				// Open upward, the byte order would run on into the negative keys: bound it.
				segments.add(new Segment((from == null || from < 0) ? Long.valueOf(0) : from, (to == null) ? Long.MAX_VALUE : to));
			}
			return segments;
		}
		if (this.signedInt) {
			Integer from = (Integer) lower;
			Integer to = (Integer) upper;
			if (from == null || from < 0) {
				int negativeTo = (to == null) ? -1 : Math.min(to, -1);
				int negativeFrom = (from == null) ? Integer.MIN_VALUE : from;
				if (negativeFrom <= negativeTo) {
					segments.add(new Segment(negativeFrom, negativeTo));
				}
			}
			if (to == null || to >= 0) {
				segments.add(new Segment((from == null || from < 0) ? Integer.valueOf(0) : from,
						(to == null) ? Integer.MAX_VALUE : to));
			}
			return segments;
		}
		segments.add(new Segment(lower, upper));
		return segments;
	}

	/**
	 * Keys from {@code from} to {@code to}, inclusive, in byte order.
	 */
	record Segment(@Nullable Object from, @Nullable Object to) {

	}

}
