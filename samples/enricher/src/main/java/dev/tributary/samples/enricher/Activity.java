package dev.tributary.samples.enricher;

/**
 * One user action in a cloud app, in the one schema every app's events are normalized to.
 *
 * @param user the user's e-mail address
 * @param app the cloud app it happened in ({@code m365}, {@code workspace}, {@code slack})
 * @param action what the user did, in the app's own words
 * @param ip the address the user came from
 * @param time when it happened, epoch milliseconds
 */
public record Activity(String user, String app, String action, String ip, long time) {

	/**
	 * This activity with what the threat-intelligence service knows of its address.
	 * @param intel the service's answer
	 * @return the enriched activity
	 */
	public EnrichedActivity enrich(ThreatIntel intel) {
		return new EnrichedActivity(this.user, this.app, this.action, this.ip, this.time, intel.country(),
				intel.risk());
	}

}
