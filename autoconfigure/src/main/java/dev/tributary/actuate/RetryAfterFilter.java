package dev.tributary.actuate;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Adds {@code Retry-After} to the 503 answers of the {@code statestores} endpoint (a
 * store not queryable yet, or its owner unreachable): Actuator operations cannot set
 * headers themselves.
 */
public class RetryAfterFilter implements Filter {

	private final String pathPrefix;

	private final String retryAfterSeconds;

	/**
	 * Creates the filter.
	 * @param pathPrefix the path of the {@code statestores} endpoint within the servlet
	 * context ({@code server.servlet.context-path} is added to it)
	 * @param retryAfterSeconds the value of the header
	 */
	public RetryAfterFilter(String pathPrefix, long retryAfterSeconds) {
		this.pathPrefix = pathPrefix;
		this.retryAfterSeconds = String.valueOf(retryAfterSeconds);
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse
				&& http.getRequestURI().startsWith(http.getContextPath() + this.pathPrefix)) {
			response = new HttpServletResponseWrapper(httpResponse) {

				@Override
				public void setStatus(int status) {
					if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
						setHeader("Retry-After", RetryAfterFilter.this.retryAfterSeconds);
					}
					super.setStatus(status);
				}

			};
		}
		chain.doFilter(request, response);
	}

}
