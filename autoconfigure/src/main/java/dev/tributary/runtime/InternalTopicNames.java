package dev.tributary.runtime;

import java.util.regex.Pattern;

/**
 * Names of the internal topics that Kafka Streams creates itself, in an application's
 * first rebalance, and reads as sources: repartition topics and foreign-key join topics.
 * (Changelog topics are created then too, but are only ever restored from.)
 */
public final class InternalTopicNames {

	/** Foreign-key join topics, generated ({@code KTABLE-FK-JOIN-...}) or named. */
	private static final Pattern JOIN_TOPIC = Pattern
		.compile("(KTABLE-FK-JOIN-SUBSCRIPTION-(REGISTRATION|RESPONSE)-\\d+|.+-subscription-(registration|response))-topic");

	private InternalTopicNames() {
	}

	/**
	 * Whether a topic is a repartition or foreign-key join topic, by its name as a
	 * topology description gives it, without the application id.
	 * @param name the topic name without the {@code <application.id>-} prefix
	 * @return whether Kafka Streams creates the topic
	 */
	public static boolean isCreatedByKafkaStreams(String name) {
		return name.endsWith("-repartition") || JOIN_TOPIC.matcher(name).matches();
	}

}
