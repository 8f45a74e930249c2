package dev.tributary.rocksdb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Store options by store name pattern: {@code *} matches any characters, {@code ?} one.
 * When several patterns match a store, each option comes from the most specific pattern
 * that sets it (the one with most characters other than wildcards); among equally
 * specific patterns, the one configured last wins.
 */
final class StorePatterns {

	private final List<Entry> entries;

	StorePatterns(Map<String, StoreOptions> optionsByPattern) {
		List<Entry> list = new ArrayList<>();
		int order = 0;
		for (Map.Entry<String, StoreOptions> entry : optionsByPattern.entrySet()) {
			list.add(new Entry(entry.getKey(), toRegex(entry.getKey()), specificity(entry.getKey()), order++,
					entry.getValue()));
		}
		// Least specific first, so that more specific patterns override.
		list.sort(Comparator.comparingInt(Entry::specificity).thenComparingInt(Entry::order));
		this.entries = List.copyOf(list);
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/**
	 * The options for a store.
	 * @param names the store's names to match, such as the name of a window store and
	 * of its segment; a pattern applies if it matches any of them
	 */
	StoreOptions optionsFor(String... names) {
		StoreOptions options = StoreOptions.DEFAULTS;
		for (Entry entry : this.entries) {
			if (entry.matchesAny(names)) {
				options = options.overriddenBy(entry.options());
			}
		}
		return options;
	}

	/**
	 * The patterns that match none of the given store names.
	 */
	List<String> unmatched(Iterable<String> storeNames) {
		Map<String, Boolean> matched = new LinkedHashMap<>();
		this.entries.stream()
			.sorted(Comparator.comparingInt(Entry::order))
			.forEach((entry) -> matched.put(entry.pattern(), false));
		for (String name : storeNames) {
			for (Entry entry : this.entries) {
				if (entry.matchesAny(name)) {
					matched.put(entry.pattern(), true);
				}
			}
		}
		return matched.entrySet().stream().filter((e) -> !e.getValue()).map(Map.Entry::getKey).toList();
	}

	private static Pattern toRegex(String glob) {
		StringBuilder regex = new StringBuilder();
		StringBuilder literal = new StringBuilder();
		for (char c : glob.toCharArray()) {
			if (c == '*' || c == '?') {
				if (!literal.isEmpty()) {
					regex.append(Pattern.quote(literal.toString()));
					literal.setLength(0);
				}
				regex.append((c == '*') ? ".*" : ".");
			}
			else {
				literal.append(c);
			}
		}
		if (!literal.isEmpty()) {
			regex.append(Pattern.quote(literal.toString()));
		}
		return Pattern.compile(regex.toString());
	}

	private static int specificity(String glob) {
		return (int) glob.chars().filter((c) -> c != '*' && c != '?').count();
	}

	private record Entry(String pattern, Pattern regex, int specificity, int order, StoreOptions options) {

		boolean matchesAny(String... names) {
			for (String name : names) {
				if (this.regex.matcher(name).matches()) {
					return true;
				}
			}
			return false;
		}

	}

}
