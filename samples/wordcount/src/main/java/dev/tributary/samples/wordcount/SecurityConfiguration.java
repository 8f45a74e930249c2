package dev.tributary.samples.wordcount;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Anyone may read health, metrics and processor state; changing a processor
 * ({@code POST /actuator/streams/{name}}) needs the {@code OPERATOR} role.
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
			// Actuator writes take JSON from scripts and curl, not browser forms.
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/actuator/**"));
		return http.build();
	}

}
