package dev.tributary.query.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * The receiving end of Tributary's internal peer channel (see the package description):
 * answers {@code POST {context path}{path}} and passes every other request on.
 *
 * <p>A request is answered only if it carries a fresh timestamp and a signature made
 * with the shared secret ({@code tributary.query.peer.secret}); otherwise the answer is
 * {@code 401} with a JSON error, and the {@link PeerQueryHandler} is not called. The
 * handler's answer goes back signed over the request's signature, its status and body.
 *
 * <p>The secret is the only authentication of this path. Forwarded queries carry no
 * user credentials, so the filter must run before any filter that authenticates users,
 * such as Spring Security's (order {@code -100}): register it with {@link #ORDER}, in
 * the servlet context that serves Actuator.
 */
public class PeerRequestFilter implements Filter {

	/**
	 * The filter order: first of all, ahead of everything that authenticates, and of
	 * Spring Boot's observation filter too. A forwarded query is observed where the
	 * client asked it, as one {@code http.server.requests} request; the instance that
	 * answers it on the channel does not count it a second time.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	/** The largest request body read; forwarded queries are a few hundred bytes. */
	public static final int MAX_REQUEST_BYTES = 1024 * 1024;

	private static final Log logger = LogFactory.getLog(PeerRequestFilter.class);

	private static final String SECRET_KEY = "tributary.query.peer.secret";

	private final String path;

	private final PeerSigner signer;

	private final PeerQueryHandler handler;

	/**
	 * Creates the filter.
	 * @param path the path of the peer channel within the servlet context (the context
	 * path is added to it)
	 * @param signer verifies requests and signs answers
	 * @param handler answers authentic requests
	 */
	public PeerRequestFilter(String path, PeerSigner signer, PeerQueryHandler handler) {
		this.path = path;
		this.signer = signer;
		this.handler = handler;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse
				&& "POST".equals(http.getMethod())
				&& http.getRequestURI().equals(http.getContextPath() + this.path)) {
			answer(http, httpResponse);
			return;
		}
		chain.doFilter(request, response);
	}

	private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String timestamp = request.getHeader(PeerSigner.TIMESTAMP_HEADER);
		String signature = request.getHeader(PeerSigner.SIGNATURE_HEADER);
		// Checked before the body is read: without the secret, nobody gets us to read much.
		String problem = this.signer.timestampProblem(timestamp);
		if (problem == null && signature == null) {
			problem = "no " + PeerSigner.SIGNATURE_HEADER + " header";
		}
		if (problem != null) {
			unauthorized(response, problem);
			return;
		}
		if (request.getContentLengthLong() > MAX_REQUEST_BYTES) {
			error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
					"A forwarded query may have at most " + MAX_REQUEST_BYTES + " bytes");
			return;
		}
		byte[] body = read(request.getInputStream());
		if (body == null) {
			error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
					"A forwarded query may have at most " + MAX_REQUEST_BYTES + " bytes");
			return;
		}
		problem = this.signer.requestProblem(request.getMethod(), request.getRequestURI(), timestamp, signature, body);
		if (problem != null) {
			unauthorized(response, problem);
			return;
		}
		PeerResponse answer;
		try {
			answer = this.handler.handle(body);
		}
		catch (RuntimeException ex) {
			logger.error("Failed to answer a query forwarded by another instance", ex);
			answer = new PeerResponse(HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
					json(500, "The instance failed to answer the forwarded query; its log has the details"));
		}
		response.setStatus(answer.status());
		response.setContentType("application/json");
		response.setHeader(PeerSigner.SIGNATURE_HEADER,
				this.signer.signResponse(signature, answer.status(), answer.body()));
		response.setContentLength(answer.body().length);
		response.getOutputStream().write(answer.body());
	}

	private void unauthorized(HttpServletResponse response, String problem) throws IOException {
		// Not signed: only a holder of the secret may get a signature out of this instance.
		error(response, HttpServletResponse.SC_UNAUTHORIZED, "Not a request from another instance of this "
				+ "application: " + problem + ". Instances authenticate each other with " + SECRET_KEY
				+ ", which must be the same on every instance");
	}

	private static void error(HttpServletResponse response, int status, String message) throws IOException {
		byte[] body = json(status, message);
		response.setStatus(status);
		response.setContentType("application/json");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private static byte[] json(int status, String message) {
		return ("{\"status\":" + status + ",\"error\":\"" + escape(message) + "\"}").getBytes(StandardCharsets.UTF_8);
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> escaped.append("\\\"");
				case '\\' -> escaped.append("\\\\");
				default -> {
					if (c < 0x20) {
						escaped.append(String.format("\\u%04x", (int) c));
					}
					else {
						escaped.append(c);
					}
				}
			}
		}
		return escaped.toString();
	}

	private static byte @Nullable [] read(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(512);
		byte[] chunk = new byte[8192];
		int read;
		while ((read = in.read(chunk)) != -1) {
			if (out.size() + read > MAX_REQUEST_BYTES) {
				return null;
			}
			out.write(chunk, 0, read);
		}
		return out.toByteArray();
	}

}
