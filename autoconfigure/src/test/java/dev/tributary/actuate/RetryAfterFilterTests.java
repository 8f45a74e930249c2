package dev.tributary.actuate;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterFilterTests {

	private final RetryAfterFilter filter = new RetryAfterFilter("/actuator/statestores", 1);

	@Test
	void serviceUnavailableAnswersOfTheEndpointGetRetryAfterUnderAContextPath() throws Exception {
		assertThat(answer("/shop", "/shop/actuator/statestores/orders/totals")).isEqualTo("1");
		assertThat(answer("", "/actuator/statestores/orders/totals")).isEqualTo("1");
	}

	@Test
	void otherPathsAreLeftAlone() throws Exception {
		assertThat(answer("/shop", "/shop/orders")).isNull();
		assertThat(answer("/shop", "/actuator/statestores/orders/totals")).isNull();
	}

	private String answer(String contextPath, String uri) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.setContextPath(contextPath);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain() {

			@Override
			public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
				((HttpServletResponse) res).setStatus(503);
			}

		});
		return response.getHeader("Retry-After");
	}

}
