package dev.tributary.query;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Advertises this instance's management address to Kafka Streams as
 * {@code application.server}, so every instance knows where to forward a query for a
 * key it does not hold. The address is that of the server that serves Actuator: the
 * application's web server, or the separate management server when
 * {@code management.server.port} differs. Its port is only known once that server has
 * started, which is why this happens at each processor start rather than in the
 * configuration. An {@code application.server} the user configured is kept.
 */
public class ApplicationServerAdvertiser implements ProcessorListener {

	/** How long a processor start waits for a management server on a random port. */
	static final Duration MANAGEMENT_SERVER_WAIT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(ApplicationServerAdvertiser.class);

	private static final boolean MANAGEMENT_PORT_TYPE_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType",
			ApplicationServerAdvertiser.class.getClassLoader());

	private final Environment environment;

	private final @Nullable String advertisedHost;

	private final boolean forwardingConfigured;

	private final Duration managementServerWait;

	private final Map<String, HostInfo> advertised = new ConcurrentHashMap<>();

	private final AtomicBoolean warned = new AtomicBoolean();

	/**
	 * Creates the advertiser.
	 * @param environment where the web servers' {@code local.*.port} properties appear
	 * @param advertisedHost the host to advertise, or {@code null} for this machine's
	 * address
	 */
	public ApplicationServerAdvertiser(Environment environment, @Nullable String advertisedHost) {
		this(environment, advertisedHost, true);
	}

	/**
	 * Creates the advertiser.
	 * @param environment where the web servers' {@code local.*.port} properties appear
	 * @param advertisedHost the host to advertise, or {@code null} for this machine's
	 * address
	 * @param forwardingConfigured whether {@code tributary.query.peer.secret} is set; if
	 * not, advertising an address logs a warning that queries cannot be forwarded
	 */
	public ApplicationServerAdvertiser(Environment environment, @Nullable String advertisedHost,
			boolean forwardingConfigured) {
		this(environment, advertisedHost, forwardingConfigured, MANAGEMENT_SERVER_WAIT);
	}

	ApplicationServerAdvertiser(Environment environment, @Nullable String advertisedHost,
			boolean forwardingConfigured, Duration managementServerWait) {
		this.environment = environment;
		this.advertisedHost = advertisedHost;
		this.forwardingConfigured = forwardingConfigured;
		this.managementServerWait = managementServerWait;
	}

	@Override
	public void configure(ManagedProcessor processor, Properties streamsProperties) {
		String configured = streamsProperties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
		if (!StringUtils.hasText(configured)) {
			String port = managementPort(processor.name());
			if (port == null) {
				return; // Actuator is not served over HTTP: queries are answered locally only
			}
			configured = host() + ":" + port;
			streamsProperties.setProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, configured);
		}
		this.advertised.put(processor.name(), HostInfo.buildFromEndpoint(configured));
		if (!this.forwardingConfigured && this.warned.compareAndSet(false, true)) {
			// Not a warning: one instance needs no forwarding, and a query that would need it
			// fails with a message naming the key.
			logger.info("Processor '" + processor.name() + "' advertises application.server " + configured
					+ "; tributary.query.peer.secret is not set, so queries for data that other instances hold "
					+ "are not forwarded to them. Running more than one instance? Set the same "
					+ "tributary.query.peer.secret on every one");
		}
	}

	/**
	 * The address this instance advertises for a processor.
	 * @param processor the processor name
	 * @return the address, or {@code null} if none is advertised
	 */
	public @Nullable HostInfo advertised(String processor) {
		return this.advertised.get(processor);
	}

	/**
	 * The port of the server that serves Actuator, or {@code null} if there is none.
	 */
	private @Nullable String managementPort(String processor) {
		String serverPort = this.environment.getProperty("local.server.port");
		if (serverPort == null || "-1".equals(serverPort)) {
			return null; // no web server
		}
		if (!MANAGEMENT_PORT_TYPE_PRESENT) {
			return serverPort;
		}
		return switch (ManagementPorts.layout(this.environment)) {
			case SAME -> serverPort;
			case DISABLED -> null;
			case DIFFERENT -> separateManagementPort(processor);
		};
	}

	private String separateManagementPort(String processor) {
		Integer configured = this.environment.getProperty("management.server.port", Integer.class);
		if (configured != null && configured > 0) {
			return configured.toString();
		}
		// A random port is known once the management server has started, which Spring
		// Boot does just before the processors start (see ProcessorRegistry.PHASE).
		long deadline = System.nanoTime() + this.managementServerWait.toNanos();
		String port = this.environment.getProperty("local.management.port");
		while (port == null && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			port = this.environment.getProperty("local.management.port");
		}
		if (port == null) {
			throw new ProcessorConfigurationException("management.server.port", "Processor '" + processor
					+ "' cannot advertise where other instances reach its Actuator endpoints: management.server.port "
					+ "is 0 and the management server had not started within " + this.managementServerWait.toSeconds()
					+ " s. Set management.server.port to a fixed port, or application.server in the processor's "
					+ "Kafka Streams properties");
		}
		return port;
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

	/**
	 * Reads Spring Boot Actuator's management port layout; a class of its own so that
	 * Actuator stays optional.
	 */
	private static final class ManagementPorts {

		enum Layout {

			SAME, DIFFERENT, DISABLED

		}

		static Layout layout(Environment environment) {
			return switch (org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType
				.get(environment)) {
				case SAME -> Layout.SAME;
				case DIFFERENT -> Layout.DIFFERENT;
				case DISABLED -> Layout.DISABLED;
			};
		}

	}

}
