package dev.tributary.autoconfigure;

import dev.tributary.actuate.RetryAfterFilter;
import dev.tributary.actuate.StateStoresEndpoint;
import dev.tributary.query.peer.PeerQueryHandler;
import dev.tributary.query.peer.PeerRequestFilter;
import dev.tributary.query.peer.PeerSigner;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The servlet filters of Tributary's Actuator side, registered by Spring Boot in
 * whichever servlet context serves Actuator: the application's, or the management
 * server's own context when {@code management.server.port} differs (a filter of the
 * application's context never sees those requests).
 *
 * <ul>
 * <li>{@link RetryAfterFilter}: {@code Retry-After} on the {@code statestores}
 * endpoint's 503 answers, at the endpoint's path wherever Actuator's base path and path
 * mappings put it;</li>
 * <li>{@link PeerRequestFilter}: the receiving end of the channel other instances
 * forward queries over, ahead of every filter that authenticates users.</li>
 * </ul>
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, FilterRegistrationBean.class })
class TributaryManagementContextConfiguration {

	@Bean
	@ConditionalOnBean(StateStoresEndpoint.class)
	FilterRegistrationBean<RetryAfterFilter> tributaryRetryAfterFilter(Environment environment,
			ObjectProvider<PathMappedEndpoints> endpoints) {
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		String path = (mapped != null) ? mapped.getPath(EndpointId.of("statestores")) : null;
		if (path == null) {
			path = PeerChannel.actuatorBasePath(environment) + "/statestores";
		}
		FilterRegistrationBean<RetryAfterFilter> registration = new FilterRegistrationBean<>(
				new RetryAfterFilter(path, 1));
		registration.addUrlPatterns(path, path + "/*");
		return registration;
	}

	@Bean
	@ConditionalOnBean({ PeerSigner.class, PeerQueryHandler.class })
	FilterRegistrationBean<PeerRequestFilter> tributaryPeerRequestFilter(Environment environment, PeerSigner signer,
			PeerQueryHandler handler) {
		String path = PeerChannel.path(environment);
		FilterRegistrationBean<PeerRequestFilter> registration = new FilterRegistrationBean<>(
				new PeerRequestFilter(path, signer, handler));
		registration.addUrlPatterns(path);
		registration.setOrder(PeerRequestFilter.ORDER);
		return registration;
	}

}
