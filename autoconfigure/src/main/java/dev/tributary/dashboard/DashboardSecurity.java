package dev.tributary.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard asks the application's security about the user looking at it, so
 * that it shows the action buttons only to a user the application lets use them. It
 * decides nothing itself: the actions are the {@code streams} endpoint's, which the
 * application protects like any request. A bean of this type replaces Tributary's own
 * (Spring Security's rules when Spring Security is there, everything allowed otherwise).
 */
public interface DashboardSecurity {

	/**
	 * Whether the application would let the current user send a request.
	 * @param request the current request
	 * @param path the request's path within the application (after the context path),
	 * such as {@code /actuator/streams/orders}
	 * @param method the HTTP method
	 * @return whether it would be allowed
	 */
	boolean isAllowed(HttpServletRequest request, String path, String method);

	/**
	 * The current user's name.
	 * @param request the current request
	 * @return the name, or {@code null} for an anonymous user
	 */
	@Nullable String user(HttpServletRequest request);

	/**
	 * The token the application requires on state-changing requests, if it has one.
	 * @param request the current request
	 * @return the header to send and its value, or {@code null}
	 */
	@Nullable CsrfHeader csrf(HttpServletRequest request);

	/**
	 * Whether the dashboard can ask the application to authenticate the user (its
	 * {@code sign-in} link, {@link HttpServletRequest#authenticate}).
	 * @return whether a sign-in is offered
	 */
	boolean offersSignIn();

	/**
	 * A header carrying the CSRF token.
	 *
	 * @param name the header's name
	 * @param token its value
	 */
	record CsrfHeader(String name, String token) {

	}

	/**
	 * For an application without security of its own: everything is allowed, the user
	 * is the container's, there is no token.
	 */
	DashboardSecurity NONE = new DashboardSecurity() {

		@Override
		public boolean isAllowed(HttpServletRequest request, String path, String method) {
			return true;
		}

		@Override
		public @Nullable String user(HttpServletRequest request) {
			return (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null;
		}

		@Override
		public @Nullable CsrfHeader csrf(HttpServletRequest request) {
			return null;
		}

		@Override
		public boolean offersSignIn() {
			return false;
		}

	};

}
