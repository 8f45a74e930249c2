package dev.tributary.samples.enricher;

/**
 * What the threat-intelligence service knows of an IP address.
 *
 * @param country the country the address is in
 * @param risk a risk score, 0 (clean) to 100 (known bad)
 */
public record ThreatIntel(String country, int risk) {

}
