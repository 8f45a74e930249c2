package dev.tributary.autoconfigure;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tributary's endpoints are exposed by default in development only, at the lowest
 * precedence.
 */
class DevelopmentEndpointDefaultsTests {

	private final DevelopmentEndpointDefaults defaults = new DevelopmentEndpointDefaults(Supplier::get);

	@Test
	void exposesTheReadOnlyEndpointsWithHealthDetailsWhileTheDevBrokerIsEnabled() {
		StandardEnvironment environment = environment("tributary.dev-broker.enabled", "true");
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoints.web.exposure.include"))
			.isEqualTo("health,info,streams,statestores");
		assertThat(environment.getProperty("management.endpoint.health.show-details")).isEqualTo("always");
		assertThat(environment.getProperty("management.endpoint.streams.access")).isEqualTo("read-only");
		// Below everything else, system properties and the environment included.
		assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow().getName())
			.isEqualTo(DevelopmentEndpointDefaults.PROPERTY_SOURCE_NAME);
	}

	@Test
	void exposesNothingMoreThanSpringBootsDefaultWithoutTheDevBroker() {
		StandardEnvironment environment = environment("tributary.dev-broker.enabled", "false");
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(DevelopmentEndpointDefaults.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isNull();
	}

	@Test
	void leavesTheExposureToAnApplicationThatChoosesIt() {
		StandardEnvironment environment = environment("tributary.dev-broker.enabled", "true");
		environment.getPropertySources()
			.addFirst(new MockPropertySource("application").withProperty("management.endpoints.web.exposure.include", "health"));
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health");
		assertThat(environment.getProperty("management.endpoint.streams.access")).isNull();
	}

	@Test
	void anyOfTheApplicationsOwnSettingsWins() {
		StandardEnvironment environment = environment("tributary.dev-broker.enabled", "true");
		environment.getPropertySources()
			.addFirst(new MockPropertySource("application").withProperty("management.endpoint.health.show-details", "never"));
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.health.show-details")).isEqualTo("never");
		assertThat(environment.getProperty("management.endpoints.web.exposure.include"))
			.isEqualTo("health,info,streams,statestores");
	}

	@Test
	void leavesTheExposureToAnApplicationThatListsItInYaml() {
		StandardEnvironment environment = environment("tributary.dev-broker.enabled", "true");
		environment.getPropertySources()
			.addFirst(new MockPropertySource("application").withProperty("management.endpoints.web.exposure.include[0]",
					"health"));
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(DevelopmentEndpointDefaults.PROPERTY_SOURCE_NAME)).isFalse();
	}

	@Test
	void exposesNothingMoreInAJarWithoutKafkasServerWhateverItsProperties() {
		StandardEnvironment environment = environment("tributary.dev-broker.enabled", "true");
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader("kafka.server")));
		this.defaults.postProcessEnvironment(environment, application);
		assertThat(environment.getPropertySources().contains(DevelopmentEndpointDefaults.PROPERTY_SOURCE_NAME)).isFalse();
	}

	private static StandardEnvironment environment(String key, String value) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MockPropertySource().withProperty(key, value));
		return environment;
	}

}
