package dev.tributary.samples.gettingstarted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/getting-started.md, read as the test needs it: the fenced blocks that an HTML
 * comment marks as part of the application.
 *
 * <ul>
 * <li>{@code <!-- file: PATH -->}: the block is (part of) the file PATH, relative to the
 * repository;</li>
 * <li>{@code <!-- walk -->} and {@code <!-- walk: restart -->}: shell commands to run
 * against the first start and against the restarted application, each {@code curl}
 * optionally followed by {@code # ANSWER};</li>
 * <li>{@code <!-- log: first start -->}: lines the first start's log shows.</li>
 * </ul>
 */
record Guide(List<Block> blocks) {

	private static final Pattern MARKER = Pattern.compile("<!--\\s*(file|walk|log)(?::\\s*(.+?))?\\s*-->");

	static Guide read(Path markdown) throws IOException {
		List<String> lines = Files.readAllLines(markdown);
		List<Block> blocks = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher marker = MARKER.matcher(lines.get(i).trim());
			if (!marker.matches()) {
				continue;
			}
			int open = i + 1;
			if (open >= lines.size() || !lines.get(open).startsWith("```")) {
				throw new IllegalStateException(markdown + ":" + (i + 1) + ": a marker must be followed by a fenced block");
			}
			int close = open + 1;
			while (close < lines.size() && !lines.get(close).startsWith("```")) {
				close++;
			}
			blocks.add(new Block(marker.group(1), (marker.group(2) != null) ? marker.group(2) : "",
					List.copyOf(lines.subList(open + 1, close)), i + 1));
			i = close;
		}
		return new Guide(List.copyOf(blocks));
	}

	List<Block> ofKind(String kind) {
		return this.blocks.stream().filter((block) -> block.kind().equals(kind)).toList();
	}

	List<Block> walk(String name) {
		return ofKind("walk").stream().filter((block) -> block.name().equals(name)).toList();
	}

	/**
	 * One marked block.
	 *
	 * @param kind {@code file}, {@code walk} or {@code log}
	 * @param name what the marker names after the colon (a path, {@code restart}), or empty
	 * @param lines the block's lines, without the fences
	 * @param line the marker's line number in the guide
	 */
	record Block(String kind, String name, List<String> lines, int line) {

	}

}
