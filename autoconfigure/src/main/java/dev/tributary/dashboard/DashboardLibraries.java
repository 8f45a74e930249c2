package dev.tributary.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;

/**
 * The JavaScript libraries the page draws its topology graph with, from their WebJars on
 * the classpath: Cytoscape.js and the dagre layout with Cytoscape's adapter for it. Each
 * is served under {@code lib/<name>/} without its version in the path, so the page does
 * not change when a build brings a newer one.
 */
final class DashboardLibraries {

	private static final Log logger = LogFactory.getLog(DashboardLibraries.class);

	/** Library name and the Maven group of its WebJar. */
	private static final Map<String, String> LIBRARIES = Map.of("cytoscape", "org.webjars.npm", "dagre",
			"org.webjars.npm", "cytoscape-dagre", "org.webjars.bower");

	private DashboardLibraries() {
	}

	/**
	 * The libraries found, by name, with the classpath folder of their files.
	 */
	static Map<String, String> find() {
		Map<String, String> found = new LinkedHashMap<>();
		LIBRARIES.forEach((name, group) -> {
			String version = version(group, name);
			if (version != null) {
				found.put(name, "META-INF/resources/webjars/" + name + "/" + version + "/");
			}
			else {
				logger.warn("The dashboard's library '" + name + "' (" + group + ":" + name
						+ ") is not on the classpath: its topology graph will not be drawn");
			}
		});
		return found;
	}

	private static @Nullable String version(String group, String name) {
		ClassPathResource properties = new ClassPathResource("META-INF/maven/" + group + "/" + name + "/pom.properties");
		if (!properties.exists()) {
			return null;
		}
		try (InputStream in = properties.getInputStream()) {
			Properties loaded = new Properties();
			loaded.load(in);
			return loaded.getProperty("version");
		}
		catch (IOException ex) {
			return null;
		}
	}

}
