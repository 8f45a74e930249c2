package dev.tributary.autoconfigure;

import java.time.Duration;

import dev.tributary.query.peer.PeerClient;
import dev.tributary.query.peer.PeerQueryHandler;
import dev.tributary.query.peer.PeerResponse;
import dev.tributary.query.peer.PeerSigner;
import dev.tributary.runtime.ProcessorConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forwarding channel's beans and settings: present only with a secret, every bad
 * value failing start-up with its key, and defaults read from where Actuator is served.
 */
class TributaryPeerAutoConfigurationTests {

	private static final String SECRET = "tributary.query.peer.secret=0123456789abcdef-shared";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, SslAutoConfiguration.class,
				TributaryAutoConfiguration.class, TributaryQueryAutoConfiguration.class))
		.withPropertyValues("spring.application.name=shop", "spring.kafka.bootstrap-servers=localhost:1",
				"tributary.auto-startup=false");

	@Test
	void withoutASecretThereIsNoChannel() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(PeerSigner.class)
			.doesNotHaveBean(PeerClient.class)
			.doesNotHaveBean(PeerQueryHandler.class));
		this.runner.withPropertyValues("tributary.query.peer.secret= ")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PeerClient.class));
	}

	@Test
	void withASecretThereIsAClientAndAHandler() {
		this.runner.withPropertyValues(SECRET).run((context) -> {
			assertThat(context).hasSingleBean(PeerSigner.class).hasSingleBean(PeerClient.class);
			assertThat(context).hasSingleBean(PeerQueryHandler.class);
		});
	}

	@Test
	void theApplicationsOwnHandlerReplacesTributarys() {
		PeerQueryHandler own = (body) -> new PeerResponse(200, body);
		this.runner.withPropertyValues(SECRET)
			.withBean(PeerQueryHandler.class, () -> own)
			.run((context) -> assertThat(context.getBean(PeerQueryHandler.class)).isSameAs(own));
	}

	@Test
	void aShortSecretFailsStartUpNamingTheKey() {
		this.runner.withPropertyValues("tributary.query.peer.secret=hunter2")
			.run((context) -> assertThat(failure(context))
				.hasMessageStartingWith("tributary.query.peer.secret has 7 characters, which is too short")
				.hasMessageNotContaining("hunter2")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.query.peer.secret"));
	}

	@Test
	void aMaxResponseSizeThatIsNotPositiveFailsStartUpNamingTheKey() {
		this.runner.withPropertyValues(SECRET, "tributary.query.peer.max-response-size=0")
			.run((context) -> assertThat(failure(context))
				.hasMessageStartingWith("tributary.query.peer.max-response-size is 0B; it must be more than 0")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.query.peer.max-response-size"));
		this.runner.withPropertyValues(SECRET, "tributary.query.peer.max-response-size=3GB")
			.run((context) -> assertThat(failure(context).getKey()).isEqualTo("tributary.query.peer.max-response-size"));
	}

	@Test
	void aTimeoutThatIsNotPositiveFailsStartUpNamingTheKey() {
		this.runner.withPropertyValues(SECRET, "tributary.query.read-timeout=0s")
			.run((context) -> assertThat(failure(context).getKey()).isEqualTo("tributary.query.read-timeout"));
	}

	@Test
	void anUnknownSchemeFailsStartUpNamingTheValidOnes() {
		this.runner.withPropertyValues(SECRET, "tributary.query.peer.scheme=ftp").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new TributaryBindingFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.startsWith("tributary.query.peer.scheme has the invalid value 'ftp'")
				.contains("one of http, https");
		});
	}

	@Test
	void anSslBundleOverHttpFailsStartUp() {
		this.runner.withPropertyValues(SECRET, "tributary.query.peer.ssl-bundle=peers")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("tributary.query.peer.ssl-bundle is 'peers', but forwarded queries use http")
				.extracting(ProcessorConfigurationException::getKey)
				.isEqualTo("tributary.query.peer.ssl-bundle"));
	}

	@Test
	void anUnknownSslBundleFailsStartUpNamingTheBundles() {
		this.runner
			.withPropertyValues(SECRET, "tributary.query.peer.scheme=https", "tributary.query.peer.ssl-bundle=peerz")
			.run((context) -> assertThat(failure(context))
				.hasMessage("tributary.query.peer.ssl-bundle is 'peerz', which is no SSL bundle; the bundles "
						+ "(spring.ssl.bundle.*) are: none"));
	}

	@Test
	void theSecretIsMaskedInActuatorsEnvAndConfigpropsEndpoints() {
		this.runner.run((context) -> {
			SanitizingFunction function = context.getBean(SanitizingFunction.class);
			assertThat(function.apply(new SanitizableData(null, "tributary.query.peer.secret", "s3cr3t-value"))
				.getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.apply(new SanitizableData(null, "TRIBUTARY_QUERY_PEER_SECRET", "s3cr3t-value"))
				.getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function
				.apply(new SanitizableData(null, "tributary.streams.sasl.jaas.config", "org.apache... password=x"))
				.getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.apply(new SanitizableData(null, "tributary.query.peer.scheme", "https")).getValue())
				.isEqualTo("https");
			assertThat(function.apply(new SanitizableData(null, "my.secret", "theirs")).getValue()).isEqualTo("theirs");
		});
	}

	@Test
	void theSchemeDefaultsToThatOfTheServerThatServesActuator() {
		TributaryProperties.Peer peer = new TributaryProperties.Peer();
		assertThat(PeerChannel.scheme(peer, new MockEnvironment())).isEqualTo("http");
		assertThat(PeerChannel.scheme(peer, new MockEnvironment().withProperty("server.ssl.bundle", "web")))
			.isEqualTo("https");
		assertThat(PeerChannel.scheme(peer, new MockEnvironment().withProperty("server.ssl.bundle", "web")
			.withProperty("server.ssl.enabled", "false"))).isEqualTo("http");
		// A management server of its own has the application's SSL unless it has its own.
		MockEnvironment separate = new MockEnvironment().withProperty("management.server.port", "9090")
			.withProperty("server.ssl.key-store", "classpath:web.p12");
		assertThat(PeerChannel.scheme(peer, separate)).isEqualTo("https");
		separate.setProperty("management.server.ssl.enabled", "false");
		assertThat(PeerChannel.scheme(peer, separate)).isEqualTo("http");
		assertThat(PeerChannel.scheme(peer, new MockEnvironment().withProperty("management.server.port", "9090")
			.withProperty("management.server.ssl.bundle", "management"))).isEqualTo("https");
		peer.setScheme(TributaryProperties.Peer.Scheme.HTTP);
		assertThat(PeerChannel.scheme(peer, separate.withProperty("management.server.ssl.enabled", "true")))
			.isEqualTo("http");
	}

	@Test
	void thePathIsUnderActuatorsBasePathInTheContextThatServesIt() {
		MockEnvironment environment = new MockEnvironment();
		assertThat(PeerChannel.path(environment)).isEqualTo("/actuator/tributary-peer");
		assertThat(PeerChannel.managementContextPath(environment)).isEmpty();
		environment.setProperty("management.endpoints.web.base-path", "/");
		assertThat(PeerChannel.path(environment)).isEqualTo("/tributary-peer");
		environment.setProperty("management.endpoints.web.base-path", "/manage/");
		assertThat(PeerChannel.path(environment)).isEqualTo("/manage/tributary-peer");
		environment.setProperty("server.servlet.context-path", "/shop");
		assertThat(PeerChannel.managementContextPath(environment)).isEqualTo("/shop");
		environment.setProperty("management.server.port", "9090");
		assertThat(PeerChannel.managementContextPath(environment)).isEmpty();
		environment.setProperty("management.server.base-path", "/ops/");
		assertThat(PeerChannel.managementContextPath(environment)).isEqualTo("/ops");
	}

	@Test
	void theClientCallsTheChannelsFullPath() {
		// Checked through the settings the client is built with: no server needed.
		TributaryProperties.Query query = new TributaryProperties.Query();
		query.getPeer().setSecret("0123456789abcdef-shared");
		query.setReadTimeout(Duration.ofSeconds(2));
		MockEnvironment environment = new MockEnvironment().withProperty("server.servlet.context-path", "/shop");
		try (PeerClient client = PeerChannel.client(query, PeerChannel.signer(query.getPeer()), environment, null)) {
			assertThat(client).isNotNull();
		}
		assertThat(PeerChannel.managementContextPath(environment) + PeerChannel.path(environment))
			.isEqualTo("/shop/actuator/tributary-peer");
	}

	private static ProcessorConfigurationException failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (cause != null && !(cause instanceof ProcessorConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a ProcessorConfigurationException in %s", context.getStartupFailure()).isNotNull();
		return (ProcessorConfigurationException) cause;
	}

}
