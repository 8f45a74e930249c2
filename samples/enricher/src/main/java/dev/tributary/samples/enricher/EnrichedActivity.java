package dev.tributary.samples.enricher;

/**
 * An activity with what the threat-intelligence service knows of its address.
 *
 * @param user the user's e-mail address
 * @param app the cloud app
 * @param action what the user did
 * @param ip the address the user came from
 * @param time when it happened, epoch milliseconds
 * @param country the address's country
 * @param risk the address's risk score, 0 to 100
 */
public record EnrichedActivity(String user, String app, String action, String ip, long time, String country,
		int risk) {

}
