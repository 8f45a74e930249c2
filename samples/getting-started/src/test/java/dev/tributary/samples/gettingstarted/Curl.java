package dev.tributary.samples.gettingstarted;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code curl} command line of the guide, as far as the guide uses curl: {@code -s},
 * {@code -X METHOD}, {@code -H 'Name: value'}, {@code -d 'body'}, {@code -u user:password}
 * and one URL on {@code localhost:8080}, each value plain or in single quotes.
 *
 * @param command the command as the guide gives it
 * @param method the HTTP method
 * @param path the path and query
 * @param headers the headers
 * @param body the body, or {@code null}
 * @param expected the answer the guide shows ({@code # ...} on the next line), or {@code null}
 */
record Curl(String command, String method, String path, Map<String, String> headers, String body, String expected) {

	static List<Curl> parse(List<String> lines) {
		List<Curl> commands = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).trim();
			if (!line.startsWith("curl ")) {
				continue;
			}
			String expected = (i + 1 < lines.size() && lines.get(i + 1).trim().startsWith("# "))
					? lines.get(i + 1).trim().substring(2) : null;
			commands.add(parse(line, expected));
		}
		return commands;
	}

	private static Curl parse(String command, String expected) {
		List<String> words = words(command);
		String method = null;
		String url = null;
		String body = null;
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < words.size(); i++) {
			String word = words.get(i);
			switch (word) {
				case "-s" -> {
				}
				case "-X" -> method = words.get(++i);
				case "-H" -> {
					String header = words.get(++i);
					int colon = header.indexOf(':');
					headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
				}
				case "-d" -> body = words.get(++i);
				case "-u" -> headers.put("Authorization", "Basic "
						+ Base64.getEncoder().encodeToString(words.get(++i).getBytes(StandardCharsets.UTF_8)));
				default -> {
					if (!word.startsWith("localhost:8080/") || url != null) {
						throw new IllegalArgumentException("Not understood in '" + command + "': " + word);
					}
					url = word;
				}
			}
		}
		if (url == null) {
			throw new IllegalArgumentException("No URL in '" + command + "'");
		}
		if (method == null) {
			method = (body != null) ? "POST" : "GET";
		}
		return new Curl(command, method, url.substring("localhost:8080".length()), headers, body, expected);
	}

	private static List<String> words(String command) {
		List<String> words = new ArrayList<>();
		StringBuilder word = new StringBuilder();
		boolean quoted = false;
		boolean inWord = false;
		for (char c : command.toCharArray()) {
			if (c == '\'') {
				quoted = !quoted;
				inWord = true;
			}
			else if (c == ' ' && !quoted) {
				if (inWord) {
					words.add(word.toString());
					word.setLength(0);
					inWord = false;
				}
			}
			else {
				word.append(c);
				inWord = true;
			}
		}
		if (inWord) {
			words.add(word.toString());
		}
		return words;
	}

	HttpRequest request(int port) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + this.path))
			.timeout(Duration.ofSeconds(30));
		this.headers.forEach(request::header);
		return request
			.method(this.method, (this.body != null) ? HttpRequest.BodyPublishers.ofString(this.body)
					: HttpRequest.BodyPublishers.noBody())
			.build();
	}

}
