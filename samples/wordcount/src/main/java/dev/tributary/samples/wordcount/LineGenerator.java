package dev.tributary.samples.wordcount;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps feeding text lines into {@code lines} so data flows as soon as the sample starts.
 * Switch it off with {@code wordcount.generator.enabled=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "wordcount.generator.enabled", matchIfMissing = true)
class LineGenerator {

	private static final List<String> LINES = List.of("the quick brown fox jumps over the lazy dog",
			"kafka streams counts words", "tributary runs kafka streams inside spring boot",
			"state lives in rocksdb and survives restarts", "every word is counted exactly once");

	private final KafkaTemplate<String, String> template;

	LineGenerator(KafkaTemplate<String, String> template) {
		this.template = template;
	}

	@Scheduled(fixedRateString = "${wordcount.generator.interval:200ms}")
	void sendLine() {
		String line = LINES.get(ThreadLocalRandom.current().nextInt(LINES.size()));
		this.template.send("lines", line);
	}

}
