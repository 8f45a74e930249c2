package dev.tributary.benchmarks.queries;

/**
 * The measurement of one query path; {@code pendingReason} is set for a path that is
 * listed but cannot be measured yet.
 *
 * @param description the query path
 * @param lookups lookups made in the measured interval
 * @param lookupsPerSecond lookups per second, one client thread
 * @param p50Micros median latency in microseconds
 * @param p99Micros 99th percentile latency in microseconds
 * @param pendingReason why the path is not measured, or {@code null}
 */
public record QueryResult(String description, long lookups, double lookupsPerSecond, double p50Micros,
		double p99Micros, String pendingReason) {

	/**
	 * A path that is not measured yet.
	 * @param description the query path
	 * @param reason why not
	 * @return the entry
	 */
	public static QueryResult pending(String description, String reason) {
		return new QueryResult(description, 0, Double.NaN, Double.NaN, Double.NaN, reason);
	}

	public boolean isPending() {
		return this.pendingReason != null;
	}

}
