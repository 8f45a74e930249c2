package dev.tributary.samples.payments;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * One line of a web server's access log, in the Common Log Format, for example
 * {@code 203.0.113.7 - - [23/Nov/2026:10:15:30 +0000] "GET /cart HTTP/1.1" 200 512}.
 *
 * @param line the log line
 */
@JsonTypeName("request")
public record Request(String line) implements ShopEvent {

	public Request {
		Events.require(line, "line");
	}

}
