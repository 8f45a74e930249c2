package dev.tributary.runtime;

import java.util.List;

/**
 * No processor has the requested name. The message lists the processors that exist.
 */
public class NoSuchProcessorException extends IllegalArgumentException {

	private final String name;

	private final List<String> knownNames;

	/**
	 * Creates an exception for a name that matches no processor.
	 * @param name the requested name
	 * @param knownNames the names of the processors that exist
	 */
	public NoSuchProcessorException(String name, List<String> knownNames) {
		super("No processor named '" + name + "'; processors: " + knownNames);
		this.name = name;
		this.knownNames = List.copyOf(knownNames);
	}

	/**
	 * The requested name.
	 * @return the name that matched no processor
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The names of the processors that exist.
	 * @return the valid names
	 */
	public List<String> getKnownNames() {
		return this.knownNames;
	}

}
