package dev.tributary.query;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Advertises this instance's management address to Kafka Streams as
 * {@code application.server}, so every instance knows where to forward a query for a
 * key it does not hold. The port is only known once the web server has started, which
 * is why this happens at each processor start rather than in the configuration. An
 * {@code application.server} the user configured is kept.
 */
public class ApplicationServerAdvertiser implements ProcessorListener {

	private final Environment environment;

	private final @Nullable String advertisedHost;

	private final Map<String, HostInfo> advertised = new ConcurrentHashMap<>();

	/**
	 * Creates the advertiser.
	 * @param environment where the web server's {@code local.*.port} properties appear
	 * @param advertisedHost the host to advertise, or {@code null} for this machine's
	 * address
	 */
	public ApplicationServerAdvertiser(Environment environment, @Nullable String advertisedHost) {
		this.environment = environment;
		this.advertisedHost = advertisedHost;
	}

	@Override
	public void configure(ManagedProcessor processor, Properties streamsProperties) {
		String configured = streamsProperties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
		if (!StringUtils.hasText(configured)) {
			String port = this.environment.getProperty("local.management.port",
					this.environment.getProperty("local.server.port"));
			if (port == null || "-1".equals(port)) {
				return; // no web server: queries are answered locally only
			}
			configured = host() + ":" + port;
			streamsProperties.setProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, configured);
		}
		this.advertised.put(processor.name(), HostInfo.buildFromEndpoint(configured));
	}

	/**
	 * The address this instance advertises for a processor.
	 * @param processor the processor name
	 * @return the address, or {@code null} if none is advertised
	 */
	public @Nullable HostInfo advertised(String processor) {
		return this.advertised.get(processor);
	}

	private String host() {
		if (StringUtils.hasText(this.advertisedHost)) {
			return this.advertisedHost;
		}
		try {
			return InetAddress.getLocalHost().getHostAddress();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
