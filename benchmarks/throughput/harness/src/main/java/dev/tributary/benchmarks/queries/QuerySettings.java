package dev.tributary.benchmarks.queries;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How the interactive-query stage measures.
 *
 * @param rounds rounds; each measures every path at every client count once, the order
 * reversed every other round
 * @param clients the numbers of concurrent client threads each path is measured with
 * (the direct Kafka Streams paths: one client only)
 * @param warmUp how long each measurement queries before it measures
 * @param measurement how long each measurement measures
 * @param profileDirectory where JFR recordings of the HTTP paths at the largest client
 * count in round 1 are written, or {@code null} for none
 * @param sampleSecurity whether the web instances run the word-count sample's Spring
 * Security filter chain (reads open to anyone, HTTP Basic for writes); without it Spring
 * Security is not on the path
 */
public record QuerySettings(int rounds, List<Integer> clients, Duration warmUp, Duration measurement,
		@Nullable Path profileDirectory, boolean sampleSecurity) {

	/**
	 * The largest number of concurrent clients.
	 * @return the largest client count
	 */
	public int maxClients() {
		return this.clients.stream().mapToInt(Integer::intValue).max().orElse(1);
	}

}
