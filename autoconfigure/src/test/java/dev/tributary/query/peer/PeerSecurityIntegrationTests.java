package dev.tributary.query.peer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.query.StateStoreQueryServices;
import dev.tributary.query.StateStoreQueryService;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances whose Actuator endpoints need an operator's HTTP Basic credentials: a
 * query for a key the other instance holds is forwarded over the peer channel, which
 * the secret authenticates, and the caller's credentials never leave the instance that
 * was asked. Requests on the peer channel without the secret are refused before
 * anything answers them.
 */
class PeerSecurityIntegrationTests {

	private static final String OPERATOR = "Basic "
			+ Base64.getEncoder().encodeToString("operator:operator".getBytes(StandardCharsets.UTF_8));

	private static TwoInstances instances;

	@BeforeAll
	static void start() {
		instances = TwoInstances.start(List.of(SecurityConfiguration.class, Recording.class),
				"tributary.query.peer.secret=" + TwoInstances.SECRET);
	}

	@AfterAll
	static void stop() {
		if (instances != null) {
			instances.close();
		}
	}

	@BeforeEach
	void forget() {
		for (ConfigurableApplicationContext context : List.of(instances.first(), instances.second())) {
			context.getBean(Recording.class).requests.clear();
			context.getBean(CountingHandler.class).calls.set(0);
		}
	}

	@Test
	void keysTheOtherInstanceHoldsAreAnsweredWithoutPassingOnTheCallersCredentials() throws Exception {
		assertThat(instances.get(instances.first(), "/statestores/words/counts?key=word1").statusCode())
			.as("without credentials")
			.isEqualTo(401);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (Map.Entry<String, Long> entry : instances.expected().entrySet()) {
				HttpResponse<String> response = instances.get(instances.first(),
						"/statestores/words/counts?key=" + entry.getKey(),
						(request) -> request.header("Authorization", OPERATOR));
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				assertThat(JsonPath.<Integer>read(response.body(), "$.value")).isEqualTo(entry.getValue().intValue());
			}
		});
		List<Recorded> received = instances.second().getBean(Recording.class).requests;
		assertThat(received).as("requests the other instance received").isNotEmpty().allSatisfy((request) -> {
			assertThat(request.uri()).isEqualTo("/actuator/tributary-peer");
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.authorization()).isNull();
			assertThat(request.signed()).isTrue();
		});
		assertThat(instances.second().getBean(CountingHandler.class).calls).hasValue(received.size());
	}

	@Test
	void peerRequestsWithoutTheSecretAreRefusedBeforeAnythingAnswersThem() throws Exception {
		ConfigurableApplicationContext target = instances.second();
		byte[] body = ("{\"processor\":\"words\",\"store\":\"counts\",\"partitions\":[0],\"stale\":false,"
				+ "\"query\":{\"type\":\"key\",\"key\":\"word1\"}}")
			.getBytes(StandardCharsets.UTF_8);
		String path = "/actuator/tributary-peer";
		PeerSigner signer = new PeerSigner(TwoInstances.SECRET);
		PeerSigner stranger = new PeerSigner("not-the-shared-secret-at-all");
		long now = signer.timestamp();

		assertRefused(post(target, body), "no X-Tributary-Peer-Timestamp header");
		assertRefused(post(target, body, now, null), "no X-Tributary-Peer-Signature header");
		assertRefused(post(target, body, now, stranger.signRequest("POST", path, now, body)),
				"the signature does not match");
		// Signed with the secret, but two minutes old: a replay.
		assertRefused(post(target, body, now - 120, signer.signRequest("POST", path, now - 120, body)),
				"away from this instance's clock");
		// Even with an operator's credentials, the peer channel wants the secret.
		assertRefused(post(target, body, now, null, OPERATOR), "no X-Tributary-Peer-Signature header");
		assertThat(target.getBean(CountingHandler.class).calls).as("handler calls").hasValue(0);

		String signature = signer.signRequest("POST", path, now, body);
		HttpResponse<String> accepted = instances.send(post(target, body, now, signature));
		// Answered by the query service: the value, or not in that partition, or not held here.
		assertThat(accepted.statusCode()).as(accepted.body()).isIn(200, 404, 503);
		assertThat(target.getBean(CountingHandler.class).calls).hasValue(1);
		assertThat(signer.isAuthenticResponse(signature, accepted.statusCode(),
				accepted.body().getBytes(StandardCharsets.UTF_8),
				accepted.headers().firstValue(PeerSigner.SIGNATURE_HEADER).orElse(null)))
			.isTrue();
	}

	private static void assertRefused(HttpRequest request, String problem) throws Exception {
		HttpResponse<String> response = instances.send(request);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		assertThat(JsonPath.<Integer>read(response.body(), "$.status")).isEqualTo(401);
		assertThat(JsonPath.<String>read(response.body(), "$.error")).contains(problem)
			.contains("tributary.query.peer.secret");
		assertThat(response.headers().firstValue(PeerSigner.SIGNATURE_HEADER)).isEmpty();
	}

	private static HttpRequest post(ConfigurableApplicationContext context, byte[] body) {
		return HttpRequest.newBuilder(instances.uri(context, "/actuator/tributary-peer"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	private static HttpRequest post(ConfigurableApplicationContext context, byte[] body, long timestamp,
			String signature) {
		return post(context, body, timestamp, signature, null);
	}

	private static HttpRequest post(ConfigurableApplicationContext context, byte[] body, long timestamp,
			String signature, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(instances.uri(context, "/actuator/tributary-peer"))
			.header("Content-Type", "application/json")
			.header(PeerSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (signature != null) {
			request.header(PeerSigner.SIGNATURE_HEADER, signature);
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return request.build();
	}

	/**
	 * Like the wordcount sample's, but every Actuator endpoint but health needs the
	 * operator.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class SecurityConfiguration {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health/**")
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasRole("OPERATOR")
				.anyRequest()
				.permitAll()).httpBasic(Customizer.withDefaults()).csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("operator").password("{noop}operator").roles("OPERATOR").build());
		}

	}

	/**
	 * Records what every request carried, ahead of every other filter; and counts the
	 * forwarded queries answered (a handler of the application's own replaces
	 * Tributary's).
	 */
	@Configuration(proxyBeanMethods = false)
	static class Recording {

		final List<Recorded> requests = new CopyOnWriteArrayList<>();

		@Bean
		FilterRegistrationBean<Filter> recordingFilter() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				HttpServletRequest http = (HttpServletRequest) request;
				if (http.getRequestURI().contains("tributary-peer")) {
					this.requests.add(new Recorded(http.getMethod(), http.getRequestURI(),
							http.getHeader("Authorization"), http.getHeader(PeerSigner.SIGNATURE_HEADER) != null));
				}
				chain.doFilter(request, response);
			});
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@Bean
		CountingHandler countingHandler(StateStoreQueryService queries) {
			return new CountingHandler(StateStoreQueryServices.peerHandler(queries));
		}

	}

	record Recorded(String method, String uri, String authorization, boolean signed) {

	}

	static final class CountingHandler implements PeerQueryHandler {

		final AtomicInteger calls = new AtomicInteger();

		private final PeerQueryHandler delegate;

		CountingHandler(PeerQueryHandler delegate) {
			this.delegate = delegate;
		}

		@Override
		public PeerResponse handle(byte[] requestBody) {
			this.calls.incrementAndGet();
			return this.delegate.handle(requestBody);
		}

	}

}
