package dev.tributary.samples.payments;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Counts the shop's web requests per path and minute, from the access-log lines on
 * {@code shop-events}, in the queryable window store {@code requests-per-minute}.
 */
@StreamProcessor("requests")
class Requests {

	static final String STORE = "requests-per-minute";

	/** {@code host ident user [time] "METHOD target PROTOCOL" status bytes} */
	private static final Pattern COMMON_LOG_FORMAT = Pattern
		.compile("^\\S+ \\S+ \\S+ \\[[^]]+] \"[A-Z]+ (\\S+) HTTP/[0-9.]+\" \\d{3} (?:\\d+|-)$");

	private final ShopSerdes serdes;

	private final ShopProperties shop;

	Requests(ShopSerdes serdes, ShopProperties shop) {
		this.serdes = serdes;
		this.shop = shop;
	}

	void topology(StreamsBuilder builder) {
		builder.stream(Topics.SHOP_EVENTS, Consumed.with(Serdes.String(), this.serdes.of(ShopEvent.class)))
			// payments and reservations are the payments processor's
			.flatMapValues((event) -> (event instanceof Request request) ? List.of(path(request.line())) : List.of())
			.groupBy((key, path) -> path, Grouped.with("by-path", Serdes.String(), Serdes.String()))
			.windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), this.shop.requests().grace()))
			.count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(STORE)
				.withRetention(this.shop.requests().retention()));
	}

	/**
	 * The path of an access-log line's request, without its query string.
	 * @param line a line in the Common Log Format
	 * @return the path
	 * @throws IllegalArgumentException if the line is not in that format
	 */
	static String path(String line) {
		Matcher matcher = COMMON_LOG_FORMAT.matcher(line);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("Not an access-log line in the Common Log Format: " + line);
		}
		String target = matcher.group(1);
		int query = target.indexOf('?');
		return (query < 0) ? target : target.substring(0, query);
	}

}
