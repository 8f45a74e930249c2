package dev.tributary.samples.wordcount;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps feeding text lines into {@code lines} so data flows as soon as the sample starts.
 * Every {@code wordcount.generator.latin1-every}-th line (150 by default, about one every
 * 30 seconds; 0 for none) is written in Latin-1, as a producer with the wrong encoding
 * would: the word count cannot read it and dead-letters it. Switch the generator off with
 * {@code wordcount.generator.enabled=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "wordcount.generator.enabled", matchIfMissing = true)
class LineGenerator {

	private static final List<String> LINES = List.of("the quick brown fox jumps over the lazy dog",
			"kafka streams counts words", "tributary runs kafka streams inside spring boot",
			"state lives in rocksdb and survives restarts", "every word is counted exactly once");

	private static final String LATIN1_LINE = "un café crème à la gare";

	private final KafkaTemplate<String, byte[]> template;

	private final long latin1Every;

	private final AtomicLong sent = new AtomicLong();

	LineGenerator(KafkaTemplate<String, byte[]> template,
			@Value("${wordcount.generator.latin1-every:150}") long latin1Every) {
		this.template = template;
		this.latin1Every = latin1Every;
	}

	@Scheduled(fixedRateString = "${wordcount.generator.interval:200ms}")
	void sendLine() {
		long count = this.sent.incrementAndGet();
		if (this.latin1Every > 0 && count % this.latin1Every == 0) {
			this.template.send("lines", LATIN1_LINE.getBytes(StandardCharsets.ISO_8859_1));
			return;
		}
		String line = LINES.get(ThreadLocalRandom.current().nextInt(LINES.size()));
		this.template.send("lines", line.getBytes(StandardCharsets.UTF_8));
	}

}
