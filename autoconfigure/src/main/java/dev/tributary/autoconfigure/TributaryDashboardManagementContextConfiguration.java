package dev.tributary.autoconfigure;

import dev.tributary.dashboard.DashboardPage;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Serves the dashboard page in whichever servlet context serves Actuator: the
 * application's, or the management server's own when {@code management.server.port}
 * differs, so that the page reads the endpoints from its own origin.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SimpleUrlHandlerMapping.class)
class TributaryDashboardManagementContextConfiguration {

	@Bean
	@ConditionalOnBean(DashboardPage.class)
	SimpleUrlHandlerMapping tributaryDashboardHandlerMapping(DashboardPage page) {
		return page.handlerMapping();
	}

}
