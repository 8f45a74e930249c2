package dev.tributary.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.tributary.actuate.StateStoresEndpoint;
import dev.tributary.query.ApplicationServerAdvertiser;
import dev.tributary.query.QueryKeyType;
import dev.tributary.query.StateStoreQueryService;
import dev.tributary.query.StateStoreQueryServices;
import dev.tributary.query.peer.PeerClient;
import dev.tributary.query.peer.PeerQueryHandler;
import dev.tributary.query.peer.PeerSigner;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.runtime.SensitiveKeys;

import org.apache.kafka.streams.processor.StreamPartitioner;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
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
			ObjectProvider<JsonMapper> jsonMapper, ListableBeanFactory beans, ObjectProvider<PeerClient> peerClient) {
		TributaryProperties.Query query = properties.getQuery();
		List<QueryKeyType<?>> custom = keyTypes.orderedStream().toList();
		checkKeyTypes(properties, custom);
		Map<String, StreamPartitioner<Object, Object>> partitioners = partitioners(properties, beans);
		return StateStoreQueryServices.create(registry, advertiser, custom,
				(processor, store) -> storeSettings(properties, processor, store).map(TributaryProperties.Store::getKeyType)
					.orElse(null),
				(processor, store) -> partitioners.get(processor + "/" + store),
				new StateStoreQueryService.Settings(query.getDefaultLimit(), query.getMaxLimit(),
						query.getRebalanceTimeout(), query.isAllowStale(), query.getMaxStaleLag()),
				jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), peerClient.getIfAvailable());
	}

	private static Optional<TributaryProperties.Store> storeSettings(TributaryProperties properties, String processor,
			String store) {
		TributaryProperties.Processor settings = properties.getProcessors().get(processor);
		return Optional.ofNullable((settings != null) ? settings.getStores().get(store) : null);
	}

	/**
	 * The partitioner beans configured for stores, by {@code processor/store}; a name
	 * that is no {@link StreamPartitioner} bean fails start-up naming the key.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, StreamPartitioner<Object, Object>> partitioners(TributaryProperties properties,
			ListableBeanFactory beans) {
		Map<String, StreamPartitioner<Object, Object>> partitioners = new HashMap<>();
		properties.getProcessors().forEach((processor, settings) -> settings.getStores().forEach((store, options) -> {
			String name = options.getPartitioner();
			if (name == null) {
				return;
			}
			String key = "tributary.processors." + processor + ".stores." + store + ".partitioner";
			if (!beans.containsBean(name) || !beans.isTypeMatch(name, StreamPartitioner.class)) {
				throw new ProcessorConfigurationException(key, key + " is '" + name + "', which is no StreamPartitioner "
						+ "bean; valid: " + String.join(", ", beans.getBeanNamesForType(StreamPartitioner.class)));
			}
			partitioners.put(processor + "/" + store, beans.getBean(name, StreamPartitioner.class));
		}));
		return partitioners;
	}

	/**
	 * A key type no {@link QueryKeyType} has would fail only the first query of the
	 * store: fail start-up, naming the key and the valid types.
	 */
	static void checkKeyTypes(TributaryProperties properties, List<QueryKeyType<?>> custom) {
		Set<String> valid = new LinkedHashSet<>();
		valid.addAll(StateStoreQueryServices.builtInKeyTypes());
		custom.forEach((type) -> valid.add(type.name()));
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
			return StateStoreQueryServices.peerHandler(queries);
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
