package dev.tributary.autoconfigure;

import dev.tributary.dashboard.DashboardPage;
import dev.tributary.dashboard.DashboardSecurity;
import dev.tributary.dashboard.SpringSecurityDashboardSecurity;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.ExposableEndpoint;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The operator's dashboard page, on by default ({@code tributary.dashboard.enabled}) at
 * {@code tributary.dashboard.path}: a {@link DashboardPage} that
 * {@link TributaryDashboardManagementContextConfiguration} serves wherever Actuator is
 * served, and the {@link DashboardSecurity} that tells it what the application's
 * security allows (Spring Security's rules when it is there).
 */
@AutoConfiguration(after = TributaryAutoConfiguration.class,
		afterName = "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(value = DispatcherServlet.class,
		name = { "org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints",
				"tools.jackson.databind.json.JsonMapper" })
@ConditionalOnBooleanProperty(name = "tributary.dashboard.enabled", matchIfMissing = true)
@ConditionalOnBean(ProcessorRegistry.class)
public final class TributaryDashboardAutoConfiguration {

	static final String PATH = "tributary.dashboard.path";

	@Bean
	@ConditionalOnMissingBean
	DashboardPage tributaryDashboardPage(TributaryProperties properties, ProcessorRegistry processors,
			DashboardSecurity security, ObjectProvider<PathMappedEndpoints> endpoints,
			ObjectProvider<JsonMapper> jsonMapper, Environment environment) {
		String path = checkPath(properties.getDashboard().getPath());
		return new DashboardPage(path, environment.getProperty("spring.application.name", "application"), processors,
				security, (id) -> {
					PathMappedEndpoints mapped = endpoints.getIfAvailable();
					return (mapped != null) ? mapped.getPath(EndpointId.of(id)) : null;
				}, (id) -> writable(endpoints.getIfAvailable(), id),
				jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
	}

	/**
	 * Whether an endpoint offers write operations: Actuator leaves them out of the
	 * exposed endpoint when its access is read-only.
	 */
	private static boolean writable(@Nullable PathMappedEndpoints mapped, String id) {
		return mapped != null && mapped.getEndpoint(EndpointId.of(id)) instanceof ExposableEndpoint<?> endpoint
				&& endpoint.getOperations().stream().anyMatch((operation) -> operation.getType() == OperationType.WRITE);
	}

	static String checkPath(String path) {
		if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/")
				|| path.chars().anyMatch((c) -> "*?{}#;%\\ ".indexOf(c) >= 0)) {
			throw new ProcessorConfigurationException(PATH, PATH + " is '" + path + "': it must start with '/', have "
					+ "at least one character after it, not end with '/' and hold no wildcard, such as '/tributary'");
		}
		return path;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebInvocationPrivilegeEvaluator.class)
	static class SpringSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DashboardSecurity tributaryDashboardSecurity(ObjectProvider<WebInvocationPrivilegeEvaluator> privileges) {
			return new SpringSecurityDashboardSecurity(privileges::getIfAvailable);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.web.access.WebInvocationPrivilegeEvaluator")
	static class NoSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DashboardSecurity tributaryDashboardSecurity() {
			return DashboardSecurity.NONE;
		}

	}

}
