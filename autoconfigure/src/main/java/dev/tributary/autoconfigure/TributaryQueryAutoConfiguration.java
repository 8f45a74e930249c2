package dev.tributary.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.tributary.actuate.StateStoresEndpoint;
import dev.tributary.query.ApplicationServerAdvertiser;
import dev.tributary.query.ForwardedQueryHandler;
import dev.tributary.query.QueryKeyType;
import dev.tributary.query.StateStoreQueryService;
import dev.tributary.query.StateStoreQueryServices;
import dev.tributary.query.peer.PeerClient;
import dev.tributary.query.peer.PeerQueryHandler;
import dev.tributary.query.peer.PeerSigner;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.runtime.SensitiveKeys;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.client.RestClient;

/**
 * Interactive queries: the {@link StateStoreQueryService} bean, the advertised
 * {@code application.server}, the {@code statestores} endpoint, and, with
 * {@code tributary.query.peer.secret} set, the channel queries are forwarded to other
 * instances over. The filters that serve the endpoint's {@code Retry-After} and the
 * receiving end of that channel are registered by
 * {@link TributaryManagementContextConfiguration}, in whichever servlet context serves
 * Actuator.
 */
@AutoConfiguration(after = TributaryAutoConfiguration.class)
@ConditionalOnClass(RestClient.class)
@ConditionalOnBean(ProcessorRegistry.class)
public final class TributaryQueryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ApplicationServerAdvertiser tributaryApplicationServerAdvertiser(Environment environment,
			TributaryProperties properties) {
		return new ApplicationServerAdvertiser(environment, properties.getQuery().getAdvertisedHost(),
				PeerChannel.hasSecret(environment));
	}

	@Bean
	@ConditionalOnMissingBean
	StateStoreQueryService stateStoreQueryService(ProcessorRegistry registry, TributaryProperties properties,
			ApplicationServerAdvertiser advertiser, ObjectProvider<QueryKeyType<?>> keyTypes,
			ObjectProvider<PeerClient> peerClient) {
		TributaryProperties.Query query = properties.getQuery();
		List<QueryKeyType<?>> custom = keyTypes.orderedStream().toList();
		checkKeyTypes(properties, custom);
		return StateStoreQueryServices.create(registry, advertiser, custom, (processor, store) -> {
			TributaryProperties.Processor settings = properties.getProcessors().get(processor);
			TributaryProperties.Store storeSettings = (settings != null) ? settings.getStores().get(store) : null;
			return (storeSettings != null) ? storeSettings.getKeyType() : null;
		}, new StateStoreQueryService.Settings(query.getDefaultLimit(), query.getMaxLimit(),
				query.getRebalanceTimeout(), query.isAllowStale(), query.getMaxStaleLag()), peerClient.getIfAvailable());
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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	@ConditionalOnAvailableEndpoint(StateStoresEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StateStoresEndpoint stateStoresEndpoint(StateStoreQueryService queries) {
			return new StateStoresEndpoint(queries);
		}

	}

	/**
	 * The forwarding channel: only with a secret, which is what authenticates instances
	 * to each other.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnPeerSecretCondition.class)
	@ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
	static class PeerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PeerSigner tributaryPeerSigner(TributaryProperties properties) {
			return PeerChannel.signer(properties.getQuery().getPeer());
		}

		@Bean
		@ConditionalOnMissingBean
		PeerClient tributaryPeerClient(TributaryProperties properties, PeerSigner signer, Environment environment,
				ObjectProvider<SslBundles> sslBundles) {
			return PeerChannel.client(properties.getQuery(), signer, environment, sslBundles.getIfAvailable());
		}

		@Bean
		@ConditionalOnMissingBean
		PeerQueryHandler tributaryPeerQueryHandler(StateStoreQueryService queries) {
			return new ForwardedQueryHandler(queries);
		}

	}

	/**
	 * Masks the values of Tributary's secret settings ({@code tributary.query.peer.secret},
	 * Kafka passwords under {@code tributary.streams.*} ...) in the {@code env} and
	 * {@code configprops} endpoints, even where they are configured to show values.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class SanitizingConfiguration {

		@Bean
		SanitizingFunction tributarySanitizingFunction() {
			return (data) -> (data.getLowerCaseKey().startsWith("tributary") && SensitiveKeys.isSensitive(data.getKey()))
					? data.withSanitizedValue() : data;
		}

	}

	/**
	 * Matches when {@code tributary.query.peer.secret} has text.
	 */
	static class OnPeerSecretCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return PeerChannel.hasSecret(context.getEnvironment())
					? ConditionOutcome.match(PeerChannel.SECRET + " is set")
					: ConditionOutcome.noMatch(PeerChannel.SECRET + " is not set");
		}

	}

}
