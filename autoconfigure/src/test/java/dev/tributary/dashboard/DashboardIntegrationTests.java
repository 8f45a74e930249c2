package dev.tributary.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard served by a running web application: its page, its libraries, and its
 * own answers about endpoints, permissions and the CSRF token, with and without Spring
 * Security, on the application's server and on a management server of its own. The
 * processor never starts, so no broker is needed: the page reads the endpoints only.
 */
class DashboardIntegrationTests {

	private static final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	@Test
	void servesThePageItsScriptsAndItsLibrariesAtItsPath() throws Exception {
		try (ConfigurableApplicationContext context = start(OpenApplication.class)) {
			String base = base(context, "local.server.port");
			HttpResponse<String> redirect = get(base + "/tributary", null);
			assertThat(redirect.statusCode()).isEqualTo(302);
			assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(
					(location) -> assertThat(location).endsWith("/tributary/"));
			HttpResponse<String> page = get(base + "/tributary/", null);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/html"));
			assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
					(policy) -> assertThat(policy).contains("script-src 'self'", "connect-src 'self'"));
			assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\">");
			assertThat(get(base + "/tributary/js/app.js", null).statusCode()).isEqualTo(200);
			HttpResponse<String> library = get(base + "/tributary/lib/cytoscape/dist/cytoscape.min.js", null);
			assertThat(library.statusCode()).isEqualTo(200);
			assertThat(library.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).contains("javascript"));
			assertThat(get(base + "/tributary/lib/dagre/dist/dagre.min.js", null).statusCode()).isEqualTo(200);
			assertThat(get(base + "/tributary/lib/cytoscape-dagre/cytoscape-dagre.js", null).statusCode())
				.isEqualTo(200);
			// Nothing else of the WebJars, nor of the classpath, is served.
			assertThat(get(base + "/tributary/lib/lodash/lodash.js", null).statusCode()).isEqualTo(404);
			assertThat(get(base + "/tributary/../application.properties", null).statusCode()).isNotEqualTo(200);
		}
	}

	@Test
	void namesTheEndpointsToExposeWhenTheyAreNotAndAllowsEverythingWithoutSecurity() throws Exception {
		try (ConfigurableApplicationContext context = start(OpenApplication.class,
				"management.endpoints.web.exposure.include=health,streams")) {
			String session = get(base(context, "local.server.port") + "/tributary/api/session", null).body();
			assertThat(JsonPath.<String>read(session, "$.application")).isEqualTo("dash");
			assertThat(JsonPath.<String>read(session, "$.endpoints.streams")).isEqualTo("/actuator/streams");
			assertThat(JsonPath.<Object>read(session, "$.endpoints.statestores")).isNull();
			assertThat(JsonPath.<List<String>>read(session, "$.missingEndpoints")).containsExactly("statestores");
			assertThat(JsonPath.<String>read(session, "$.exposureProperty"))
				.isEqualTo("management.endpoints.web.exposure.include");
			assertThat(JsonPath.<Boolean>read(session, "$.processors.orders.operate")).isTrue();
			assertThat(JsonPath.<Object>read(session, "$.signIn")).isNull();
			assertThat(JsonPath.<Object>read(session, "$.csrf")).isNull();
		}
	}

	@Test
	void letsOnlyAUserTheApplicationAllowsActAndGivesThemTheCsrfToken() throws Exception {
		try (ConfigurableApplicationContext context = start(SecuredApplication.class)) {
			String base = base(context, "local.server.port");
			String anonymous = get(base + "/tributary/api/session", null).body();
			assertThat(JsonPath.<Object>read(anonymous, "$.user")).isNull();
			assertThat(JsonPath.<Boolean>read(anonymous, "$.processors.orders.operate")).isFalse();
			assertThat(JsonPath.<Object>read(anonymous, "$.csrf")).isNull();
			assertThat(JsonPath.<String>read(anonymous, "$.signIn")).isEqualTo("/tributary/sign-in");

			HttpResponse<String> operatorSession = get(base + "/tributary/api/session", "operator:secret");
			String operator = operatorSession.body();
			assertThat(JsonPath.<String>read(operator, "$.user")).isEqualTo("operator");
			assertThat(JsonPath.<Boolean>read(operator, "$.processors.orders.operate")).isTrue();
			assertThat(JsonPath.<String>read(operator, "$.csrf.header")).isEqualTo("X-CSRF-TOKEN");
			String viewer = get(base + "/tributary/api/session", "viewer:secret").body();
			assertThat(JsonPath.<Boolean>read(viewer, "$.processors.orders.operate")).isFalse();

			// The page's action is what curl sends, with the token and the session it belongs to.
			String cookie = operatorSession.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
			HttpRequest.Builder action = HttpRequest.newBuilder(URI.create(base + "/actuator/streams/orders"))
				.header("Authorization", basic("operator:secret"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"pause\"}"));
			assertThat(http.send(action.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
				.as("without the token").isEqualTo(403);
			HttpResponse<String> withToken = http.send(action.header("Cookie", cookie)
				.header("X-CSRF-TOKEN", JsonPath.read(operator, "$.csrf.token"))
				.build(), HttpResponse.BodyHandlers.ofString());
			// Past security: the endpoint answers that the never-started processor cannot pause.
			assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(409);
		}
	}

	@Test
	void namesTheProcessorsOnlyToAUserWhoMayReadTheStreamsEndpoint() throws Exception {
		try (ConfigurableApplicationContext context = start(SignedInReadsApplication.class)) {
			String base = base(context, "local.server.port");
			String anonymous = get(base + "/tributary/api/session", null).body();
			assertThat(JsonPath.<Map<String, Object>>read(anonymous, "$.processors")).isEmpty();
			assertThat(anonymous).doesNotContain("orders");
			assertThat(get(base + "/actuator/streams", null).statusCode()).isEqualTo(401);
			String viewer = get(base + "/tributary/api/session", "viewer:secret").body();
			assertThat(JsonPath.<Boolean>read(viewer, "$.processors.orders.operate")).isFalse();
			String operator = get(base + "/tributary/api/session", "operator:secret").body();
			assertThat(JsonPath.<Boolean>read(operator, "$.processors.orders.operate")).isTrue();
		}
	}

	@Test
	void showsDeadLettersContentsOnlyToSignedInUsersWithTheConfiguredRole() throws Exception {
		try (ConfigurableApplicationContext context = start(SecuredApplication.class,
				"management.endpoint.streams.roles=OPERATOR")) {
			String base = base(context, "local.server.port") + "/actuator/streams/orders/dead-letters";
			assertThat(JsonPath.<Boolean>read(get(base, null).body(), "$.valuesShown")).isFalse();
			assertThat(JsonPath.<Boolean>read(get(base, "viewer:secret").body(), "$.valuesShown")).isFalse();
			assertThat(JsonPath.<Boolean>read(get(base, "operator:secret").body(), "$.valuesShown")).isTrue();
		}
		try (ConfigurableApplicationContext context = start(SecuredApplication.class)) {
			String base = base(context, "local.server.port") + "/actuator/streams/orders/dead-letters";
			assertThat(JsonPath.<Boolean>read(get(base, null).body(), "$.valuesShown")).isFalse();
			assertThat(JsonPath.<Boolean>read(get(base, "viewer:secret").body(), "$.valuesShown")).isTrue();
		}
	}

	@Test
	void offersNoActionWhenTheStreamsEndpointIsReadOnly() throws Exception {
		try (ConfigurableApplicationContext context = start(OpenApplication.class,
				"management.endpoint.streams.access=read-only")) {
			String base = base(context, "local.server.port");
			String session = get(base + "/tributary/api/session", null).body();
			assertThat(JsonPath.<Boolean>read(session, "$.processors.orders.operate")).isFalse();
			assertThat(JsonPath.<String>read(session, "$.readOnly")).isEqualTo("management.endpoint.streams.access");
			// What the page would have sent is not there to send.
			HttpResponse<String> pause = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/streams/orders"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"pause\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(pause.statusCode()).isEqualTo(405);
		}
	}

	@Test
	void signInHandsOverToTheApplicationsSecurityThenBackToThePage() throws Exception {
		try (ConfigurableApplicationContext context = start(SecuredApplication.class)) {
			String base = base(context, "local.server.port");
			HttpResponse<String> challenge = get(base + "/tributary/sign-in", null);
			assertThat(challenge.statusCode()).isEqualTo(401);
			assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
					(value) -> assertThat(value).startsWith("Basic"));
			HttpResponse<String> signedIn = get(base + "/tributary/sign-in", "viewer:secret");
			assertThat(signedIn.statusCode()).isEqualTo(302);
			assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(
					(location) -> assertThat(location).endsWith("/tributary/"));
		}
	}

	@Test
	void livesBesideActuatorOnAManagementServerOfItsOwnAtItsConfiguredPath() throws Exception {
		try (ConfigurableApplicationContext context = start(OpenApplication.class, "management.server.port=0",
				"tributary.dashboard.path=/ops/board")) {
			String management = base(context, "local.management.port");
			assertThat(get(management + "/ops/board/", null).statusCode()).isEqualTo(200);
			String session = get(management + "/ops/board/api/session", null).body();
			assertThat(JsonPath.<String>read(session, "$.endpoints.streams")).isEqualTo("/actuator/streams");
			assertThat(get(management + "/actuator/streams", null).statusCode()).isEqualTo(200);
			assertThat(get(base(context, "local.server.port") + "/ops/board/", null).statusCode()).isEqualTo(404);
		}
	}

	@Test
	void pointsAtTheEndpointsUnderTheContextPath() throws Exception {
		try (ConfigurableApplicationContext context = start(OpenApplication.class,
				"server.servlet.context-path=/shop")) {
			String session = get(base(context, "local.server.port") + "/shop/tributary/api/session", null).body();
			assertThat(JsonPath.<String>read(session, "$.endpoints.streams")).isEqualTo("/shop/actuator/streams");
		}
	}

	private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
		return new SpringApplicationBuilder(application)
			.properties("server.port=0", "spring.application.name=dash", "spring.kafka.bootstrap-servers=localhost:1",
					"tributary.auto-startup=false", "management.endpoints.web.exposure.include=health,streams,statestores")
			.properties(properties)
			.run();
	}

	private static String base(ConfigurableApplicationContext context, String portProperty) {
		return "http://localhost:" + context.getEnvironment().getProperty(portProperty);
	}

	private static HttpResponse<String> get(String url, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
		if (credentials != null) {
			request.header("Authorization", basic(credentials));
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String basic(String credentials) {
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Orders.class)
	static class OpenApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Orders.class, Security.class })
	static class SecuredApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Orders.class, SignedInReads.class })
	static class SignedInReadsApplication {

	}

	/** Signed-in users may read Actuator, only the operator post; the dashboard is open. */
	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class SignedInReads {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, "/actuator/**")
				.hasRole("OPERATOR")
				.requestMatchers("/actuator/**")
				.authenticated()
				.anyRequest()
				.permitAll()).httpBasic(Customizer.withDefaults()).csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return Security.accounts();
		}

	}

	/** Anyone may read; only the operator may post to Actuator; CSRF as Spring Security has it. */
	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class Security {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, "/actuator/**")
				.hasRole("OPERATOR")
				.anyRequest()
				.permitAll()).httpBasic(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return accounts();
		}

		static InMemoryUserDetailsManager accounts() {
			return new InMemoryUserDetailsManager(
					User.withUsername("operator").password("{noop}secret").roles("OPERATOR").build(),
					User.withUsername("viewer").password("{noop}secret").roles("VIEWER").build());
		}

	}

	@StreamProcessor("orders")
	static class Orders {

		void topology(StreamsBuilder builder) {
			builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String())).to("orders-out");
		}

	}

}
