package dev.tributary.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tributary.devbroker.DevBroker;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * In development, that is with {@code tributary.dev-broker.enabled}, exposes Tributary's
 * endpoints over HTTP so that a new application has something to look at: {@code health}
 * (with details, so its {@code streams} component shows), {@code info}, {@code streams}
 * (read-only: its actions stay off; the contents of dead letters shown) and
 * {@code statestores}. Only when the application does not choose the exposure itself
 * ({@code management.endpoints.web.exposure.include}), and at the lowest precedence, so
 * every setting of the application's wins. Without the dev broker, or without Kafka's
 * server on the classpath (a production jar), Spring Boot's default applies: only
 * {@code health}, without details, because state-store data and processor details are
 * not for everyone in production.
 */
final class DevelopmentEndpointDefaults implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "tributaryDevelopmentEndpointDefaults";

	static final String EXPOSURE = "management.endpoints.web.exposure.include";

	private final Log logger;

	DevelopmentEndpointDefaults(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(DevelopmentEndpointDefaults.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// Development means the dev broker can run: a jar without Kafka's server (as a
		// production build is) never gets these defaults, whatever its properties say.
		if (!environment.getProperty("tributary.dev-broker.enabled", Boolean.class, false)
				|| !ClassUtils.isPresent(DevBroker.KAFKA_SERVER_CLASS, application.getClassLoader())
				|| Binder.get(environment).bind(EXPOSURE, Bindable.listOf(String.class)).isBound()) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put(EXPOSURE, "health,info,streams,statestores");
		defaults.put("management.endpoint.health.show-details", "always");
		defaults.put("management.endpoint.streams.access", "read-only");
		defaults.put("management.endpoint.streams.show-values", "always");
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
		this.logger.info("Development (tributary.dev-broker.enabled): exposing the Actuator endpoints health (with "
				+ "details), info, streams (read-only, dead letters' contents shown) and statestores over HTTP. "
				+ "Set " + EXPOSURE + " to choose yourself; without the dev broker only health is exposed");
	}

	/**
	 * After Spring Boot has loaded {@code application.yml} and the other config data.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
