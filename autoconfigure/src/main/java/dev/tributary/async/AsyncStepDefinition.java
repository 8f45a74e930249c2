package dev.tributary.async;

import java.time.Duration;

import dev.tributary.errors.ErrorHandling;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One async step of one processor, resolved: the user's step, its effective options, its
 * topics and consumer group, and what its processor's configuration says about delivery
 * and errors.
 *
 * @param processor the processor's name
 * @param applicationId the processor's application id
 * @param step the step as written in the topology
 * @param options the effective options
 * @param exactlyOnce whether the processor runs exactly-once
 * @param commitInterval how often the worker commits
 * @param errorHandling what a call that finally fails does
 * @param deadLetterTopic where dead letters go
 */
record AsyncStepDefinition<K, V, R>(String processor, String applicationId, AsyncStep<K, V, R> step,
		AsyncStepOptions options, boolean exactlyOnce, Duration commitInterval, ErrorHandling errorHandling,
		String deadLetterTopic) {

	static String requestsTopic(String applicationId, String step) {
		return applicationId + "-" + step + "-requests";
	}

	static String resultsTopic(String applicationId, String step) {
		return applicationId + "-" + step + "-results";
	}

	String requestsTopic() {
		return requestsTopic(this.applicationId, this.step.name());
	}

	String resultsTopic() {
		return resultsTopic(this.applicationId, this.step.name());
	}

	/** The worker's consumer group, apart from the processor's own. */
	String groupId() {
		return this.applicationId + "-" + this.step.name() + "-worker";
	}

	Deserializer<K> keyDeserializer() {
		return this.step.keySerde().deserializer();
	}

	Deserializer<V> valueDeserializer() {
		return this.step.valueSerde().deserializer();
	}

	Serializer<R> resultSerializer() {
		return this.step.resultSerde().serializer();
	}

	/** At most a quarter of the record bound per poll, so a poll never overshoots it. */
	int maxPollRecords() {
		return Math.max(1, Math.min(500, this.options.effectiveMaxBufferedRecords() / 4));
	}

	/** At most a quarter of the byte bound per fetch. */
	int fetchMaxBytes() {
		return (int) Math.min(50L * 1024 * 1024, this.options.maxBufferedBytes() / 4);
	}

	String configPrefix() {
		return "tributary.processors." + this.processor + ".async." + this.step.name();
	}

}
