package dev.tributary.samples.enricher;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A simulated threat-intelligence API, slow as such services are: most answers take a few
 * hundred milliseconds, some seconds, a few fail or never come in time. A real client
 * (for example Spring's reactive {@code WebClient}) returns a {@code CompletionStage}
 * the same way.
 */
@Component
public class ThreatIntelClient implements DisposableBean {

	private static final List<String> COUNTRIES = List.of("DE", "FR", "US", "BR", "JP", "NG", "RU", "IN");

	private final ScheduledExecutorService network = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "threat-intel-network");
		thread.setDaemon(true);
		return thread;
	});

	private final Duration minLatency;

	private final Duration maxLatency;

	private final double slowShare;

	private final double failureRate;

	ThreatIntelClient(@Value("${enricher.threat-intel.min-latency:100ms}") Duration minLatency,
			@Value("${enricher.threat-intel.max-latency:10s}") Duration maxLatency,
			@Value("${enricher.threat-intel.slow-share:0.05}") double slowShare,
			@Value("${enricher.threat-intel.failure-rate:0.01}") double failureRate) {
		this.minLatency = minLatency;
		this.maxLatency = maxLatency;
		this.slowShare = slowShare;
		this.failureRate = failureRate;
	}

	/**
	 * Looks an address up.
	 * @param ip the address
	 * @return the answer, later; failed if the service failed
	 */
	public CompletionStage<ThreatIntel> lookup(String ip) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		CompletableFuture<ThreatIntel> answer = new CompletableFuture<>();
		long min = this.minLatency.toMillis();
		// Most calls are quick; a few take up to the maximum (and time out beyond the step's timeout).
		long max = (random.nextDouble() < this.slowShare) ? this.maxLatency.toMillis() : Math.min(3 * min,
				this.maxLatency.toMillis());
		long latency = min + random.nextLong(Math.max(1, max - min + 1));
		boolean fails = random.nextDouble() < this.failureRate;
		this.network.schedule(() -> {
			if (fails) {
				answer.completeExceptionally(new IllegalStateException("threat-intel: 503 Service Unavailable"));
			}
			else {
				int hash = Math.abs(ip.hashCode());
				answer.complete(new ThreatIntel(COUNTRIES.get(hash % COUNTRIES.size()), hash % 101));
			}
		}, latency, TimeUnit.MILLISECONDS);
		return answer;
	}

	@Override
	public void destroy() {
		this.network.shutdownNow();
	}

}
