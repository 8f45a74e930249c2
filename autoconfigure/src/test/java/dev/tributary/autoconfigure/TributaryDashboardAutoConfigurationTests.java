package dev.tributary.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.tributary.actuate.StreamsEndpoint;
import dev.tributary.dashboard.DashboardPage;
import dev.tributary.dashboard.DashboardSecurity;
import dev.tributary.dashboard.DeadLetterBrowser;
import dev.tributary.dashboard.GroupLag;
import dev.tributary.dashboard.SpringSecurityDashboardSecurity;
import dev.tributary.runtime.ProcessorConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's auto-configuration: on by default in a servlet web application, off on
 * request or elsewhere, its path checked, Spring Security's rules used when present, and
 * the application's own beans winning.
 */
class TributaryDashboardAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				TributaryHealthAutoConfiguration.class, TributaryDashboardAutoConfiguration.class))
		.withPropertyValues("spring.application.name=shop", "spring.kafka.bootstrap-servers=localhost:1",
				"tributary.auto-startup=false", "management.endpoints.web.exposure.include=streams");

	@Test
	void servesThePageByDefaultInAServletWebApplication() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DashboardPage.class);
			assertThat(context.getBean(DashboardSecurity.class)).isInstanceOf(SpringSecurityDashboardSecurity.class);
		});
	}

	@Test
	void servesNoPageWhenSwitchedOff() {
		this.runner.withPropertyValues("tributary.dashboard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DashboardPage.class));
	}

	@Test
	void servesNoPageOutsideAServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TributaryAutoConfiguration.class,
					TributaryDashboardAutoConfiguration.class))
			.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "tributary.auto-startup=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardPage.class));
	}

	@Test
	void aPathThatIsNoPathFailsStartUpNamingTheKey() {
		for (String path : new String[] { "tributary", "/tributary/", "/", "/ops/*" }) {
			this.runner.withPropertyValues("tributary.dashboard.path=" + path).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(ProcessorConfigurationException.class)
					.hasMessageContaining("tributary.dashboard.path is '" + path + "'");
			});
		}
	}

	@Test
	void allowsEverythingWithoutSpringSecurity() {
		this.runner.withClassLoader(new FilteredClassLoader(WebInvocationPrivilegeEvaluator.class))
			.run((context) -> assertThat(context.getBean(DashboardSecurity.class)).isSameAs(DashboardSecurity.NONE));
	}

	@Test
	void theApplicationsOwnBeansWin() {
		DashboardSecurity own = DashboardSecurity.NONE;
		GroupLag lag = new GroupLag(Duration.ofSeconds(1), 1);
		DeadLetterBrowser deadLetters = new DeadLetterBrowser((processor) -> Set.of(), (processor) -> Map.of(), 1,
				Duration.ZERO);
		this.runner.withBean("ownSecurity", DashboardSecurity.class, () -> own)
			.withBean("ownLag", GroupLag.class, () -> lag)
			.withBean("ownDeadLetters", DeadLetterBrowser.class, () -> deadLetters)
			.run((context) -> {
				assertThat(context).hasSingleBean(DashboardSecurity.class)
					.hasSingleBean(GroupLag.class)
					.hasSingleBean(DeadLetterBrowser.class)
					.hasSingleBean(StreamsEndpoint.class);
				assertThat(context.getBean(DashboardSecurity.class)).isSameAs(own);
				assertThat(context.getBean(GroupLag.class)).isSameAs(lag);
			});
	}

}
