package dev.tributary.dashboard;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * The dashboard's questions answered by Spring Security: the application's own
 * authorization rules ({@link WebInvocationPrivilegeEvaluator}) for the current
 * authentication, and the CSRF token Spring Security put on the request.
 */
public class SpringSecurityDashboardSecurity implements DashboardSecurity {

	private final Supplier<@Nullable WebInvocationPrivilegeEvaluator> privileges;

	private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

	/**
	 * Creates the answers from the application's rules.
	 * @param privileges the application's authorization rules for web requests, looked
	 * up when needed; {@code null} when the application configures no web security, which
	 * then allows everything
	 */
	public SpringSecurityDashboardSecurity(Supplier<@Nullable WebInvocationPrivilegeEvaluator> privileges) {
		this.privileges = privileges;
	}

	@Override
	public boolean isAllowed(HttpServletRequest request, String path, String method) {
		WebInvocationPrivilegeEvaluator evaluator = this.privileges.get();
		return evaluator == null || evaluator.isAllowed(request.getContextPath(), path, method, authentication());
	}

	@Override
	public @Nullable String user(HttpServletRequest request) {
		Authentication authentication = authentication();
		return (authentication != null && authentication.isAuthenticated() && !this.trust.isAnonymous(authentication))
				? authentication.getName() : null;
	}

	@Override
	public @Nullable CsrfHeader csrf(HttpServletRequest request) {
		// Spring Security's CsrfFilter puts the (deferred) token on every request it sees.
		return (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)
				? new CsrfHeader(token.getHeaderName(), token.getToken()) : null;
	}

	@Override
	public boolean offersSignIn() {
		return this.privileges.get() != null;
	}

	private static @Nullable Authentication authentication() {
		return SecurityContextHolder.getContext().getAuthentication();
	}

}
