package dev.tributary.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.tributary.actuate.RetryAfterFilter;
import dev.tributary.actuate.StateStoresEndpoint;
import dev.tributary.query.ApplicationServerAdvertiser;
import dev.tributary.query.QueryKeyType;
import dev.tributary.query.StateStoreQueryService;
import dev.tributary.query.StateStoreQueryServices;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;

/**
 * Interactive queries: the {@link StateStoreQueryService} bean, the advertised
 * {@code application.server}, and the {@code statestores} endpoint.
 */
@AutoConfiguration(after = TributaryAutoConfiguration.class)
@ConditionalOnClass(RestClient.class)
@ConditionalOnBean(ProcessorRegistry.class)
public final class TributaryQueryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApplicationServerAdvertiser tributaryApplicationServerAdvertiser(Environment environment,
			TributaryProperties properties) {
		return new ApplicationServerAdvertiser(environment, properties.getQuery().getAdvertisedHost());
	}

	@Bean
	@ConditionalOnMissingBean
	StateStoreQueryService stateStoreQueryService(ProcessorRegistry registry, TributaryProperties properties,
			ApplicationServerAdvertiser advertiser, ObjectProvider<QueryKeyType<?>> keyTypes, Environment environment) {
		TributaryProperties.Query query = properties.getQuery();
		List<QueryKeyType<?>> custom = keyTypes.orderedStream().toList();
		checkKeyTypes(properties, custom);
		return StateStoreQueryServices.create(registry, advertiser, custom, (processor, store) -> {
			TributaryProperties.Processor settings = properties.getProcessors().get(processor);
			TributaryProperties.Store storeSettings = (settings != null) ? settings.getStores().get(store) : null;
			return (storeSettings != null) ? storeSettings.getKeyType() : null;
		}, new StateStoreQueryService.Settings(query.getDefaultLimit(), query.getMaxLimit(),
				query.getRebalanceTimeout(), query.isAllowStale(), query.getMaxStaleLag()), query.getConnectTimeout(),
				query.getReadTimeout(), actuatorBasePath(environment));
	}

	/**
	 * A key type no {@link QueryKeyType} has would fail only the first query of the
	 * store: fail start-up, naming the key and the valid types.
	 */
	static void checkKeyTypes(TributaryProperties properties, List<QueryKeyType<?>> custom) {
		Set<String> valid = new LinkedHashSet<>();
		Stream.concat(Stream.of(QueryKeyType.STRING, QueryKeyType.LONG, QueryKeyType.INTEGER, QueryKeyType.UUID,
				QueryKeyType.BYTES), custom.stream())
			.forEach((type) -> valid.add(type.name()));
		properties.getProcessors().forEach((processor, settings) -> settings.getStores().forEach((store, options) -> {
			String keyType = options.getKeyType();
			if (keyType != null && !valid.contains(keyType)) {
				String key = "tributary.processors." + processor + ".stores." + store + ".key-type";
				throw new ProcessorConfigurationException(key, key + " is '" + keyType + "', which is no query key "
						+ "type; valid: " + String.join(", ", valid) + " (or the name of a QueryKeyType bean)");
			}
		}));
	}

	/**
	 * Where the {@code statestores} endpoint of another instance lives: its management
	 * context path and Actuator base path, the same on every instance of the application.
	 */
	static String actuatorBasePath(Environment environment) {
		String managementPort = environment.getProperty("management.server.port");
		String contextPath = (managementPort != null)
				? environment.getProperty("management.server.base-path", "")
				: environment.getProperty("server.servlet.context-path", "");
		String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
		return (contextPath + basePath).replaceAll("//+", "/");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	@ConditionalOnAvailableEndpoint(StateStoresEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StateStoresEndpoint stateStoresEndpoint(StateStoreQueryService queries) {
			return new StateStoresEndpoint(queries);
		}

		@Bean
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		@ConditionalOnClass(name = "org.springframework.boot.web.servlet.FilterRegistrationBean")
		FilterRegistrationBean<RetryAfterFilter> tributaryRetryAfterFilter(Environment environment) {
			String path = environment.getProperty("management.endpoints.web.base-path", "/actuator") + "/statestores";
			FilterRegistrationBean<RetryAfterFilter> registration = new FilterRegistrationBean<>(
					new RetryAfterFilter(path, 1));
			registration.addUrlPatterns(path, path + "/*");
			return registration;
		}

	}

}
