package dev.tributary.benchmarks.throughput;

import org.apache.kafka.streams.StreamsConfig;

/**
 * The processing guarantees every topology is measured at.
 */
public enum Guarantee {

	AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE),

	EXACTLY_ONCE_V2(StreamsConfig.EXACTLY_ONCE_V2);

	private final String config;

	Guarantee(String config) {
		this.config = config;
	}

	/**
	 * The value of {@code processing.guarantee}.
	 * @return the config value
	 */
	public String config() {
		return this.config;
	}

}
