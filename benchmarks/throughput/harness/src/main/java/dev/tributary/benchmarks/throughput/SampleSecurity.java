package dev.tributary.benchmarks.throughput;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The word-count sample's security (a copy of its {@code SecurityConfiguration}): reads
 * open to anyone, Actuator writes for the {@code OPERATOR} role over HTTP Basic. Applied to
 * the query stage's web instances with {@code --query-security=sample}, to measure what the
 * filter chain costs a read that sends no credentials. Without it the harness excludes
 * Spring Security's auto-configuration, and no filter chain is on the path.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("benchmark.sample-security")
class SampleSecurity {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, "/actuator/**")
			.hasRole("OPERATOR")
			.anyRequest()
			.permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.ignoringRequestMatchers(SampleSecurity::isJsonActuatorRequest));
		return http.build();
	}

	private static boolean isJsonActuatorRequest(HttpServletRequest request) {
		if (!request.getRequestURI().startsWith(request.getContextPath() + "/actuator/")
				|| request.getContentType() == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(request.getContentType());
			return type.getType().equals("application")
					&& (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
