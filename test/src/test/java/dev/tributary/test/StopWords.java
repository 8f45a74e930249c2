package dev.tributary.test;

import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * A collaborator of {@link WordCount}, injected by Spring.
 */
@Component
class StopWords {

	boolean isStopWord(String word) {
		return Set.of("the", "a").contains(word);
	}

}
