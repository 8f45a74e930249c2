package dev.tributary.query;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Converts query values between the store's own types and their JSON form.
 */
final class Values {

	private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
			Values.class.getClassLoader());

	private Values() {
	}

	@SuppressWarnings("unchecked")
	static <V> @Nullable V convert(@Nullable Object value, Class<V> type) {
		if (value == null || type.isInstance(value)) {
			return (V) value;
		}
		if (value instanceof Number number) {
			Object converted = convertNumber(number, type);
			if (converted != null) {
				return (V) converted;
			}
		}
		if (JACKSON_PRESENT) {
			return JacksonConverter.convert(value, type);
		}
		throw new IllegalArgumentException("Cannot convert " + value.getClass().getName() + " to " + type.getName()
				+ " without Jackson on the classpath");
	}

	private static @Nullable Object convertNumber(Number number, Class<?> type) {
		if (type == Long.class || type == long.class) {
			return number.longValue();
		}
		if (type == Integer.class || type == int.class) {
			return number.intValue();
		}
		if (type == Double.class || type == double.class) {
			return number.doubleValue();
		}
		if (type == Float.class || type == float.class) {
			return number.floatValue();
		}
		if (type == Short.class || type == short.class) {
			return number.shortValue();
		}
		if (type == BigDecimal.class) {
			return new BigDecimal(number.toString());
		}
		return null;
	}

	private static final class JacksonConverter {

		private static final tools.jackson.databind.json.JsonMapper MAPPER = tools.jackson.databind.json.JsonMapper
			.builder()
			.build();

		static <V> V convert(Object value, Class<V> type) {
			return MAPPER.convertValue(value, type);
		}

	}

}
