package dev.tributary.query.peer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class PeerRequestFilterTests {

	private static final String SECRET = "0123456789abcdef-shared";

	private final PeerSigner signer = new PeerSigner(SECRET);

	private final List<String> handled = new ArrayList<>();

	private final PeerRequestFilter filter = new PeerRequestFilter("/actuator/tributary-peer", this.signer,
			(body) -> {
				this.handled.add(new String(body, StandardCharsets.UTF_8));
				return new PeerResponse(404, "{\"status\":404,\"error\":\"No value\"}".getBytes(StandardCharsets.UTF_8));
			});

	private final byte[] body = "{\"processor\":\"words\"}".getBytes(StandardCharsets.UTF_8);

	@Test
	void answersASignedRequestWithTheHandlersSignedAnswer() throws Exception {
		MockHttpServletRequest request = request("/shop", "/shop/actuator/tributary-peer");
		long timestamp = this.signer.timestamp();
		String signature = this.signer.signRequest("POST", "/shop/actuator/tributary-peer", timestamp, this.body);
		request.addHeader(PeerSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
		request.addHeader(PeerSigner.SIGNATURE_HEADER, signature);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, response, chain);
		assertThat(chain.getRequest()).as("passed on").isNull();
		assertThat(this.handled).containsExactly("{\"processor\":\"words\"}");
		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getContentType()).isEqualTo("application/json");
		assertThat(this.signer.isAuthenticResponse(signature, 404, response.getContentAsByteArray(),
				response.getHeader(PeerSigner.SIGNATURE_HEADER)))
			.isTrue();
	}

	@Test
	void refusesRequestsWithoutSignature() throws Exception {
		MockHttpServletRequest request = request("", "/actuator/tributary-peer");
		request.addHeader(PeerSigner.TIMESTAMP_HEADER, Long.toString(this.signer.timestamp()));
		assertUnauthorized(request, "no X-Tributary-Peer-Signature header");
		assertUnauthorized(request("", "/actuator/tributary-peer"), "no X-Tributary-Peer-Timestamp header");
	}

	@Test
	void refusesRequestsSignedWithAnotherSecret() throws Exception {
		MockHttpServletRequest request = request("", "/actuator/tributary-peer");
		long timestamp = this.signer.timestamp();
		request.addHeader(PeerSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
		request.addHeader(PeerSigner.SIGNATURE_HEADER, new PeerSigner("another-secret-of-16").signRequest("POST",
				"/actuator/tributary-peer", timestamp, this.body));
		assertUnauthorized(request, "the signature does not match");
	}

	@Test
	void refusesRequestsWithAnOldTimestamp() throws Exception {
		MockHttpServletRequest request = request("", "/actuator/tributary-peer");
		long timestamp = this.signer.timestamp() - 120;
		request.addHeader(PeerSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
		request.addHeader(PeerSigner.SIGNATURE_HEADER,
				this.signer.signRequest("POST", "/actuator/tributary-peer", timestamp, this.body));
		assertUnauthorized(request, "away from this instance's clock");
	}

	@Test
	void passesOnOtherPathsAndMethods() throws Exception {
		for (MockHttpServletRequest request : List.of(request("", "/actuator/tributary-peer/x"),
				request("", "/actuator/statestores"), request("/shop", "/actuator/tributary-peer"))) {
			MockFilterChain chain = new MockFilterChain();
			this.filter.doFilter(request, new MockHttpServletResponse(), chain);
			assertThat(chain.getRequest()).as(request.getRequestURI()).isSameAs(request);
		}
		MockHttpServletRequest get = request("", "/actuator/tributary-peer");
		get.setMethod("GET");
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(get, new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest()).isSameAs(get);
		assertThat(this.handled).isEmpty();
	}

	private void assertUnauthorized(MockHttpServletRequest request, String problem) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, response, chain);
		assertThat(chain.getRequest()).as("passed on").isNull();
		assertThat(this.handled).as("handler called").isEmpty();
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentType()).isEqualTo("application/json");
		assertThat(response.getHeader(PeerSigner.SIGNATURE_HEADER)).isNull();
		String json = response.getContentAsString();
		assertThat(JsonPath.<Integer>read(json, "$.status")).isEqualTo(401);
		assertThat(JsonPath.<String>read(json, "$.error")).contains(problem).contains("tributary.query.peer.secret");
	}

	private MockHttpServletRequest request(String contextPath, String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
		request.setContextPath(contextPath);
		request.setContentType("application/json");
		request.setContent(this.body);
		return request;
	}

}
