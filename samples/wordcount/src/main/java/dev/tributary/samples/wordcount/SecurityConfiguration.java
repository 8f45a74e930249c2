package dev.tributary.samples.wordcount;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Anyone may read health, metrics and processor state; changing a processor
 * ({@code POST /actuator/streams/{name}} with a JSON body) needs the {@code OPERATOR}
 * role.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, "/actuator/**")
			.hasRole("OPERATOR")
			.anyRequest()
			.permitAll())
			.httpBasic(Customizer.withDefaults())
			// Actuator writes from scripts and curl carry JSON, which a cross-site page cannot
			// send without a CORS preflight: only those skip the CSRF token. A form or a bare
			// 'POST ...?action=stop' still needs one, so a page cannot borrow an operator's
			// cached Basic credentials to stop a processor.
			.csrf((csrf) -> csrf.ignoringRequestMatchers(SecurityConfiguration::isJsonActuatorRequest));
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
