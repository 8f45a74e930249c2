package dev.tributary.benchmarks.queries;

import dev.tributary.benchmarks.queries.CpuMeter.CpuUse;

/**
 * The measurement of one query path at one number of concurrent clients in one round.
 *
 * @param description the query path
 * @param clients client threads querying at once, each one lookup after another
 * @param round the round, from 1
 * @param lookups lookups completed in the measured interval
 * @param lookupsPerSecond lookups per second, all clients together
 * @param p50Micros median latency in microseconds
 * @param p99Micros 99th percentile latency in microseconds
 * @param cpu the CPU used meanwhile, by this JVM's threads, the whole JVM and the machine
 */
public record QueryResult(String description, int clients, int round, long lookups, double lookupsPerSecond,
		double p50Micros, double p99Micros, CpuUse cpu) {

	/**
	 * The group of the client threads in {@link #cpu()}.
	 */
	public static final String CLIENT = "client";

	/**
	 * CPU used by the client threads (for HTTP paths: the threads that send requests and
	 * the HTTP client's own threads), in cores.
	 * @return the client's cores
	 */
	public double clientCores() {
		return this.cpu.group(CLIENT);
	}

	/**
	 * CPU of the whole JVM (both web instances, the client, the broker, GC, JIT) per
	 * lookup: less sensitive than the rate to other processes competing for the cores.
	 * @return CPU microseconds per lookup
	 */
	public double cpuMicrosPerLookup() {
		return perLookup(this.cpu.process());
	}

	/**
	 * CPU of the JVM but the client threads per lookup: what the instances (and the broker,
	 * GC and JIT) spend. For the Java API the client threads run the query themselves, so
	 * its local lookups cost the client, not this.
	 * @return CPU microseconds per lookup
	 */
	public double serverCpuMicrosPerLookup() {
		return perLookup(this.cpu.process() - clientCores());
	}

	/**
	 * CPU of the client threads per lookup.
	 * @return CPU microseconds per lookup
	 */
	public double clientCpuMicrosPerLookup() {
		return perLookup(clientCores());
	}

	private double perLookup(double cores) {
		return cores * this.cpu.seconds() * 1e6 / this.lookups;
	}

}
