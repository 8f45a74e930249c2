package dev.tributary.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.tributary.runtime.SensitiveKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.util.unit.DataSize;

/**
 * Reports a {@code tributary.*} property Spring's binder rejected in Tributary's terms:
 * the full key, the value, and the values or keys that would be valid (in the kebab-case
 * a user writes), where Spring Boot's own analysis shows a {@code Bindable@...} target,
 * Java enum constants or a conversion stack. Other properties are left to Spring Boot.
 */
class TributaryBindingFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	private static final String PREFIX = "tributary";

	@Override
	public int getOrder() {
		// Before Spring Boot's BindFailureAnalyzer and UnboundConfigurationPropertyFailureAnalyzer.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		UnboundConfigurationPropertiesException unbound = findCause(rootFailure,
				UnboundConfigurationPropertiesException.class);
		if (unbound != null) {
			return analyzeUnbound(unbound, cause);
		}
		if (!isTributary(cause.getName())) {
			return null;
		}
		String key = cause.getName().toString();
		ConfigurationProperty property = cause.getProperty();
		Object value = (property != null) ? property.getValue() : null;
		String shown = SensitiveKeys.isSensitive(key) ? SensitiveKeys.HIDDEN : "'" + value + "'";
		Class<?> type = cause.getTarget().getType().resolve(Object.class);
		String origin = (property != null && property.getOrigin() != null) ? " (from " + property.getOrigin() + ")"
				: "";
		return new FailureAnalysis(key + " has the invalid value " + shown + origin + "; expected " + expected(type),
				"Set " + key + " to " + expected(type) + ".", cause);
	}

	private @Nullable FailureAnalysis analyzeUnbound(UnboundConfigurationPropertiesException unbound,
			BindException cause) {
		List<ConfigurationPropertyName> names = unbound.getUnboundProperties()
			.stream()
			.map(ConfigurationProperty::getName)
			.filter(TributaryBindingFailureAnalyzer::isTributary)
			.sorted()
			.toList();
		if (names.isEmpty()) {
			return null;
		}
		StringBuilder description = new StringBuilder();
		for (ConfigurationPropertyName name : names) {
			String parent = name.getParent().toString();
			List<String> valid = validKeys(name);
			String misspelt = name.getLastElement(ConfigurationPropertyName.Form.DASHED);
			String closest = valid.stream()
				.min((a, b) -> KafkaPropertyNames.distance(misspelt, a) - KafkaPropertyNames.distance(misspelt, b))
				.filter((candidate) -> KafkaPropertyNames.distance(misspelt, candidate) <= Math.max(2,
						misspelt.length() / 3))
				.orElse(null);
			description.append(name)
				.append(" is not a Tributary property")
				.append((closest != null) ? " (did you mean " + parent + "." + closest + "?)" : "")
				.append("; the keys under ")
				.append(parent)
				.append(" are: ")
				.append(String.join(", ", valid))
				.append(System.lineSeparator());
		}
		return new FailureAnalysis(description.toString().trim(), "Correct or remove "
				+ names.stream().map(Object::toString).collect(Collectors.joining(", ")) + ".", cause);
	}

	/**
	 * The keys {@link TributaryProperties} has where the unknown one was found, found by
	 * following its path through the properties' types (map keys are skipped over).
	 */
	private static List<String> validKeys(ConfigurationPropertyName name) {
		Class<?> type = TributaryProperties.class;
		for (int i = 1; i < name.getNumberOfElements() - 1; i++) {
			String element = name.getElement(i, ConfigurationPropertyName.Form.DASHED);
			PropertyDescriptor descriptor = descriptor(type, element);
			if (descriptor == null || descriptor.getReadMethod() == null) {
				return List.of();
			}
			Method getter = descriptor.getReadMethod();
			ResolvableType returned = ResolvableType.forMethodReturnType(getter);
			if (Map.class.isAssignableFrom(returned.toClass())) {
				type = returned.asMap().getGeneric(1).toClass();
				i++;
			}
			else {
				type = returned.toClass();
			}
		}
		return Arrays.stream(BeanUtils.getPropertyDescriptors(type))
			.filter((descriptor) -> descriptor.getReadMethod() != null && !"class".equals(descriptor.getName()))
			.map((descriptor) -> dashed(descriptor.getName()))
			.sorted()
			.toList();
	}

	private static @Nullable PropertyDescriptor descriptor(Class<?> type, String dashedName) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (dashed(descriptor.getName()).equals(dashedName)) {
				return descriptor;
			}
		}
		return null;
	}

	private static String expected(Class<?> type) {
		if (type.isEnum()) {
			return "one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.collect(Collectors.joining(", "));
		}
		if (type == Duration.class) {
			return "a duration such as 30s, 500ms or 2m";
		}
		if (type == DataSize.class) {
			return "a size such as 512MB or 1GB";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
			return "a whole number";
		}
		if (type == double.class || type == Double.class) {
			return "a number such as 0.5";
		}
		return "a valid " + type.getSimpleName();
	}

	private static String dashed(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static boolean isTributary(ConfigurationPropertyName name) {
		return name.getNumberOfElements() > 1 && PREFIX.equals(name.getElement(0, ConfigurationPropertyName.Form.DASHED));
	}

}
