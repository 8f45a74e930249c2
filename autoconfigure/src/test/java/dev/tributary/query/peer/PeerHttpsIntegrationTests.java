package dev.tributary.query.peer;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.jayway.jsonpath.JsonPath;
import dev.tributary.runtime.ProcessorRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances that serve only HTTPS ({@code server.ssl.*}, a self-signed certificate
 * made at test time), with Actuator at the root ({@code base-path=/}): queries are
 * forwarded over TLS, trusting the certificate through an SSL bundle, and 503 answers
 * carry {@code Retry-After} at the endpoint's path.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerHttpsIntegrationTests {

	private static final String PASSWORD = "changeit";

	@TempDir
	static Path directory;

	private static TwoInstances instances;

	@BeforeAll
	static void start() throws Exception {
		Path keyStore = selfSignedKeyStore(directory.resolve("peer.p12"));
		String location = keyStore.toUri().toString();
		instances = TwoInstances.start("https", "/", trust(keyStore), List.of(),
				"server.ssl.key-store=" + location, "server.ssl.key-store-password=" + PASSWORD,
				"server.ssl.key-store-type=PKCS12", "spring.ssl.bundle.jks.peers.truststore.location=" + location,
				"spring.ssl.bundle.jks.peers.truststore.password=" + PASSWORD,
				"spring.ssl.bundle.jks.peers.truststore.type=PKCS12", "tributary.query.peer.ssl-bundle=peers",
				"tributary.query.peer.secret=" + TwoInstances.SECRET, "management.endpoints.web.base-path=/");
	}

	@AfterAll
	static void stop() {
		if (instances != null) {
			instances.close();
		}
	}

	@Test
	@Order(1)
	void everyKeyIsAnsweredFromEitherInstanceOverTls() throws Exception {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (ConfigurableApplicationContext context : List.of(instances.first(), instances.second())) {
				for (Map.Entry<String, Long> entry : instances.expected().entrySet()) {
					HttpResponse<String> response = instances.get(context,
							"/statestores/words/counts?key=" + entry.getKey());
					assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
					assertThat(JsonPath.<Integer>read(response.body(), "$.value"))
						.isEqualTo(entry.getValue().intValue());
				}
			}
		});
	}

	@Test
	@Order(2)
	void aServiceUnavailableAnswerAtTheRootBasePathCarriesRetryAfter() throws Exception {
		instances.second().getBean(ProcessorRegistry.class).stop("words");
		HttpResponse<String> response = instances.get(instances.second(), "/statestores/words/counts?key=word1");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
	}

	/**
	 * A PKCS12 key store with a self-signed certificate for {@code localhost}, made with
	 * the JDK's {@code keytool}.
	 */
	static Path selfSignedKeyStore(Path file) throws Exception {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "peer", "-keyalg", "EC",
				"-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost", "-ext",
				"SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass",
				PASSWORD, "-keypass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(Files.size(file)).isPositive();
		return file;
	}

	static SSLContext trust(Path keyStore) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

}
