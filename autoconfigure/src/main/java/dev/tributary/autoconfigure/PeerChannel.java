package dev.tributary.autoconfigure;

import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.tributary.query.peer.PeerClient;
import dev.tributary.query.peer.PeerSigner;
import dev.tributary.runtime.ProcessorConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * The settings of the channel instances forward queries over, read from
 * {@code tributary.query.*} and from where Spring Boot serves Actuator (its port layout,
 * context and base paths, and SSL), each checked with a message that names its key.
 */
final class PeerChannel {

	static final String SECRET = "tributary.query.peer.secret";

	static final String SCHEME = "tributary.query.peer.scheme";

	static final String SSL_BUNDLE = "tributary.query.peer.ssl-bundle";

	static final String MAX_RESPONSE_SIZE = "tributary.query.peer.max-response-size";

	/** The path of the channel under Actuator's base path. */
	static final String PATH = "/tributary-peer";

	private static final boolean ACTUATOR_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType",
			PeerChannel.class.getClassLoader());

	private PeerChannel() {
	}

	/**
	 * Whether forwarding is configured: a secret is set.
	 */
	static boolean hasSecret(Environment environment) {
		return StringUtils.hasText(environment.getProperty(SECRET));
	}

	static PeerSigner signer(TributaryProperties.Peer peer) {
		String secret = peer.getSecret();
		if (!StringUtils.hasText(secret)) {
			throw new ProcessorConfigurationException(SECRET, SECRET + " is not set");
		}
		if (secret.length() < PeerSigner.MIN_SECRET_LENGTH) {
			throw new ProcessorConfigurationException(SECRET, SECRET + " has " + secret.length()
					+ " characters, which is too short to authenticate instances: use at least "
					+ PeerSigner.MIN_SECRET_LENGTH + " (32 random ones, such as the output of "
					+ "'openssl rand -base64 24', are better)");
		}
		return new PeerSigner(secret);
	}

	static PeerClient client(TributaryProperties.Query query, PeerSigner signer, Environment environment,
			@Nullable SslBundles sslBundles) {
		TributaryProperties.Peer peer = query.getPeer();
		String scheme = scheme(peer, environment);
		SslBundle bundle = sslBundle(peer, scheme, sslBundles);
		long maxResponseBytes = maxResponseBytes(peer.getMaxResponseSize());
		Duration connectTimeout = positive(query.getConnectTimeout(), "tributary.query.connect-timeout");
		Duration readTimeout = positive(query.getReadTimeout(), "tributary.query.read-timeout");
		PeerClient.Settings settings = new PeerClient.Settings(scheme,
				normalize(managementContextPath(environment) + path(environment)), connectTimeout, readTimeout,
				maxResponseBytes);
		SSLContext sslContext = (bundle != null) ? bundle.createSslContext() : null;
		return new PeerClient(settings, signer, sslContext, (bundle != null) ? sslParameters(bundle) : null);
	}

	/**
	 * The path of the channel within the servlet context that serves Actuator: under
	 * Actuator's base path.
	 */
	static String path(Environment environment) {
		return normalize(actuatorBasePath(environment) + PATH);
	}

	/**
	 * Actuator's base path as Spring Boot uses it: {@code /} means the root, a trailing
	 * slash is dropped.
	 */
	static String actuatorBasePath(Environment environment) {
		return clean(environment.getProperty("management.endpoints.web.base-path", "/actuator"));
	}

	/**
	 * The context path of the server that serves Actuator: the management server's base
	 * path when it has a port of its own, else the application's context path.
	 */
	static String managementContextPath(Environment environment) {
		return separateManagementServer(environment) ? clean(environment.getProperty("management.server.base-path", ""))
				: clean(environment.getProperty("server.servlet.context-path", ""));
	}

	/**
	 * The scheme configured, or by default that of the server that serves Actuator.
	 */
	static String scheme(TributaryProperties.Peer peer, Environment environment) {
		if (peer.getScheme() != null) {
			return (peer.getScheme() == TributaryProperties.Peer.Scheme.HTTPS) ? "https" : "http";
		}
		return managementServerHasSsl(environment) ? "https" : "http";
	}

	private static boolean managementServerHasSsl(Environment environment) {
		if (separateManagementServer(environment)) {
			Boolean own = sslEnabled(environment, "management.server.ssl");
			if (own != null) {
				return own;
			}
			// Without SSL settings of its own, the management server has the application's.
		}
		return Boolean.TRUE.equals(sslEnabled(environment, "server.ssl"));
	}

	/**
	 * Whether SSL is enabled under a prefix: {@code null} when nothing is set there, as
	 * Spring Boot's {@code Ssl.isEnabled} reads it (enabled unless {@code enabled=false}).
	 */
	private static @Nullable Boolean sslEnabled(Environment environment, String prefix) {
		Map<String, Object> settings = Binder.get(environment)
			.bind(prefix, Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		if (settings.isEmpty()) {
			return null;
		}
		return !"false".equalsIgnoreCase(String.valueOf(settings.get("enabled")).trim());
	}

	private static boolean separateManagementServer(Environment environment) {
		return ACTUATOR_PRESENT && ManagementPorts.isDifferent(environment);
	}

	private static @Nullable SslBundle sslBundle(TributaryProperties.Peer peer, String scheme,
			@Nullable SslBundles sslBundles) {
		String name = peer.getSslBundle();
		if (!StringUtils.hasText(name)) {
			return null;
		}
		if (!"https".equals(scheme)) {
			throw new ProcessorConfigurationException(SSL_BUNDLE, SSL_BUNDLE + " is '" + name
					+ "', but forwarded queries use http: set " + SCHEME + "=https, or enable SSL on the server "
					+ "that serves Actuator, or remove " + SSL_BUNDLE);
		}
		if (sslBundles == null) {
			throw new ProcessorConfigurationException(SSL_BUNDLE,
					SSL_BUNDLE + " is '" + name + "', but the application has no SSL bundles (spring.ssl.bundle.*)");
		}
		try {
			return sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new ProcessorConfigurationException(SSL_BUNDLE, SSL_BUNDLE + " is '" + name
					+ "', which is no SSL bundle; the bundles (spring.ssl.bundle.*) are: "
					+ (sslBundles.getBundleNames().isEmpty() ? "none" : String.join(", ", sslBundles.getBundleNames())),
					ex);
		}
	}

	private static @Nullable SSLParameters sslParameters(SslBundle bundle) {
		SslOptions options = bundle.getOptions();
		if (options == null || !options.isSpecified()) {
			return null;
		}
		SSLParameters parameters = new SSLParameters();
		if (options.getCiphers() != null) {
			parameters.setCipherSuites(options.getCiphers());
		}
		if (options.getEnabledProtocols() != null) {
			parameters.setProtocols(options.getEnabledProtocols());
		}
		return parameters;
	}

	private static long maxResponseBytes(@Nullable DataSize size) {
		long bytes = (size != null) ? size.toBytes() : -1;
		if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
			throw new ProcessorConfigurationException(MAX_RESPONSE_SIZE, MAX_RESPONSE_SIZE + " is " + size
					+ "; it must be more than 0 and less than 2GB, such as 16MB");
		}
		return bytes;
	}

	private static Duration positive(@Nullable Duration duration, String key) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new ProcessorConfigurationException(key,
					key + " is " + duration + "; it must be a positive duration, such as 1s or 500ms");
		}
		return duration;
	}

	private static String clean(@Nullable String path) {
		if (path == null) {
			return "";
		}
		String cleaned = path.trim();
		if (!cleaned.isEmpty() && !cleaned.startsWith("/")) {
			cleaned = "/" + cleaned;
		}
		while (cleaned.endsWith("/")) {
			cleaned = cleaned.substring(0, cleaned.length() - 1);
		}
		return cleaned;
	}

	private static String normalize(String path) {
		String normalized = path.replaceAll("//+", "/");
		return normalized.isEmpty() ? "/" : normalized;
	}

	/**
	 * Reads Spring Boot Actuator's management port layout; a class of its own so that
	 * Actuator stays optional.
	 */
	private static final class ManagementPorts {

		static boolean isDifferent(Environment environment) {
			return org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType
				.get(environment) == org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType.DIFFERENT;
		}

	}

}
