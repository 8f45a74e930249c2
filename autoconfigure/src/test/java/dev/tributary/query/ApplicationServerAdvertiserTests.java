package dev.tributary.query;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.tributary.runtime.CrashLoopLimit;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorConfigurationException;
import dev.tributary.runtime.ProcessorDefinition;
import dev.tributary.runtime.ProcessorRegistry;
import dev.tributary.runtime.UncaughtExceptionPolicy;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The advertised {@code application.server} is the address of whichever server serves
 * Actuator.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApplicationServerAdvertiserTests {

	private final MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8080");

	private final ManagedProcessor processor = processor();

	@Test
	void advertisesTheApplicationPortWhenActuatorIsServedThere() {
		assertThat(advertise(this.environment)).isEqualTo("node-1:8080");
		this.environment.setProperty("management.server.port", "8080");
		this.environment.setProperty("server.port", "8080");
		assertThat(advertise(this.environment)).isEqualTo("node-1:8080");
	}

	@Test
	void advertisesAFixedManagementPort() {
		this.environment.setProperty("management.server.port", "9090");
		assertThat(advertise(this.environment)).isEqualTo("node-1:9090");
	}

	@Test
	void waitsForARandomManagementPort() throws Exception {
		this.environment.setProperty("management.server.port", "0");
		Thread server = new Thread(() -> {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				return;
			}
			this.environment.setProperty("local.management.port", "41234");
		});
		server.start();
		assertThat(advertise(this.environment)).isEqualTo("node-1:41234");
		server.join();
	}

	@Test
	void failsWhenARandomManagementPortIsNotKnownInTime() {
		this.environment.setProperty("management.server.port", "0");
		ApplicationServerAdvertiser advertiser = new ApplicationServerAdvertiser(this.environment, "node-1", true,
				Duration.ofMillis(100));
		assertThatExceptionOfType(ProcessorConfigurationException.class)
			.isThrownBy(() -> advertiser.configure(this.processor, new Properties()))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("management.server.port"))
			.withMessageContaining("management.server.port is 0");
	}

	@Test
	void advertisesNothingWithoutAnHttpActuator() {
		this.environment.setProperty("management.server.port", "-1");
		assertThat(advertise(this.environment)).isNull();
		assertThat(advertise(new MockEnvironment())).isNull();
	}

	@Test
	void keepsAnApplicationServerTheUserConfigured() {
		Properties properties = new Properties();
		properties.setProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, "proxy:443");
		ApplicationServerAdvertiser advertiser = new ApplicationServerAdvertiser(this.environment, "node-1", true);
		advertiser.configure(this.processor, properties);
		assertThat(properties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("proxy:443");
		assertThat(advertiser.advertised("orders").port()).isEqualTo(443);
	}

	@Test
	void saysOnceAtInfoWhenAdvertisingWithoutAPeerSecret(CapturedOutput output) {
		ApplicationServerAdvertiser advertiser = new ApplicationServerAdvertiser(this.environment, "node-1", false);
		advertiser.configure(this.processor, new Properties());
		advertiser.configure(this.processor, new Properties());
		assertThat(output.getOut().split("tributary.query.peer.secret is not set", -1)).hasSize(2);
		assertThat(output).contains("Processor 'orders' advertises application.server node-1:8080")
			.doesNotContain(" WARN ");
	}

	@Test
	void doesNotWarnWithAPeerSecretOrWithoutAdvertising(CapturedOutput output) {
		new ApplicationServerAdvertiser(this.environment, "node-1", true).configure(this.processor, new Properties());
		new ApplicationServerAdvertiser(new MockEnvironment(), "node-1", false).configure(this.processor,
				new Properties());
		assertThat(output).doesNotContain("tributary.query.peer.secret");
	}

	private String advertise(MockEnvironment environment) {
		Properties properties = new Properties();
		new ApplicationServerAdvertiser(environment, "node-1", true).configure(this.processor, properties);
		return properties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
	}

	private static ManagedProcessor processor() {
		Properties properties = new Properties();
		properties.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "shop-orders");
		ProcessorDefinition definition = new ProcessorDefinition("orders", properties, (props) -> new Topology(), true,
				Duration.ofSeconds(1), UncaughtExceptionPolicy.REPLACE_THREAD, CrashLoopLimit.DEFAULT);
		return new ProcessorRegistry(List.of(definition), List.of()).get("orders");
	}

}
