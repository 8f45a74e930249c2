package dev.tributary.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.tributary.runtime.ProcessorRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Serves the dashboard under its path: the page and its scripts (from the classpath,
 * {@code dev/tributary/dashboard/static}), the libraries it draws with (from their
 * WebJars), and two requests of its own:
 *
 * <ul>
 * <li>{@code api/session}: where the Actuator endpoints it reads are (or which are not
 * exposed), who the user is, and, to a user the application lets read the {@code streams}
 * endpoint, on which processors it would let the user run actions, with the CSRF token
 * to send along;</li>
 * <li>{@code sign-in}: asks the application's security to authenticate the user (its
 * login page or its challenge), then back to the page.</li>
 * </ul>
 * Everything else the page shows it reads from the Actuator endpoints in the user's own
 * requests, so whatever protects Actuator protects it.
 */
public final class DashboardPage {

	/** The Actuator endpoints the page reads; without them it says what to expose. */
	public static final List<String> REQUIRED_ENDPOINTS = List.of("streams", "statestores");

	/** Read when exposed, for the application's overall status. */
	public static final List<String> OPTIONAL_ENDPOINTS = List.of("health");

	static final String STATIC_LOCATION = "dev/tributary/dashboard/static/";

	private static final String SESSION = "/api/session";

	private static final String SIGN_IN = "/sign-in";

	/** No script but its own, no connection but to its own origin, not framed elsewhere. */
	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; "
			+ "form-action 'self'; base-uri 'self'";

	private final String path;

	private final String application;

	private final ProcessorRegistry processors;

	private final DashboardSecurity security;

	private final Function<String, @Nullable String> endpointPaths;

	private final Predicate<String> writableEndpoints;

	private final JsonMapper json;

	private final byte[] index;

	/**
	 * Creates the page.
	 * @param path where it is served, such as {@code /tributary}: starts with {@code /},
	 * does not end with one
	 * @param application the application's name, for the page's title
	 * @param processors the processors
	 * @param security the answers of the application's security
	 * @param endpointPaths the path of an exposed Actuator endpoint by its id (such as
	 * {@code /actuator/streams}), {@code null} for one not exposed
	 * @param writableEndpoints whether an exposed endpoint, by its id, offers its write
	 * operations (not when {@code management.endpoint.<id>.access} is {@code read-only})
	 * @param json writes the page's own answers
	 */
	public DashboardPage(String path, String application, ProcessorRegistry processors, DashboardSecurity security,
			Function<String, @Nullable String> endpointPaths, Predicate<String> writableEndpoints, JsonMapper json) {
		this.path = path;
		this.application = application;
		this.processors = processors;
		this.security = security;
		this.endpointPaths = endpointPaths;
		this.writableEndpoints = writableEndpoints;
		this.json = json;
		this.index = read(new ClassPathResource(STATIC_LOCATION + "index.html"));
	}

	/**
	 * The page's requests, for the dispatcher that serves Actuator. Ordered after the
	 * application's own controllers and before Spring Boot's static resources.
	 * @return the handler mapping
	 */
	public SimpleUrlHandlerMapping handlerMapping() {
		Map<String, Object> handlers = new LinkedHashMap<>();
		handlers.put(this.path, (HttpRequestHandler) (request, response) -> response
			.sendRedirect(request.getRequestURI() + "/" + ((request.getQueryString() != null) ? "?" + request.getQueryString() : "")));
		handlers.put(this.path + "/", (HttpRequestHandler) this::index);
		handlers.put(this.path + SESSION, (HttpRequestHandler) this::session);
		handlers.put(this.path + SIGN_IN, (HttpRequestHandler) this::signIn);
		DashboardLibraries.find().forEach((name, location) -> handlers.put(this.path + "/lib/" + name + "/**",
				resources(new ClassPathResource(location))));
		handlers.put(this.path + "/**", resources(new ClassPathResource(STATIC_LOCATION)));
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(handlers);
		mapping.setOrder(Ordered.LOWEST_PRECEDENCE - 2);
		return mapping;
	}

	private void index(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
			response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		response.setContentType("text/html;charset=UTF-8");
		response.setHeader("Cache-Control", CacheControl.noCache().getHeaderValue());
		response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setContentLength(this.index.length);
		if ("GET".equals(request.getMethod())) {
			response.getOutputStream().write(this.index);
		}
	}

	private void session(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String prefix = prefix(request, SESSION);
		String withinApplication = prefix.substring(request.getContextPath().length());
		Map<String, @Nullable String> endpoints = new LinkedHashMap<>();
		List<String> missing = new ArrayList<>();
		for (String id : REQUIRED_ENDPOINTS) {
			String endpoint = this.endpointPaths.apply(id);
			endpoints.put(id, (endpoint != null) ? prefix + endpoint : null);
			if (endpoint == null) {
				missing.add(id);
			}
		}
		for (String id : OPTIONAL_ENDPOINTS) {
			String endpoint = this.endpointPaths.apply(id);
			endpoints.put(id, (endpoint != null) ? prefix + endpoint : null);
		}
		String streams = this.endpointPaths.apply("streams");
		boolean readOnly = streams != null && !this.writableEndpoints.test("streams");
		Map<String, Object> processors = new LinkedHashMap<>();
		boolean operatesAny = false;
		// The processors' names only to a user who may read them from the endpoint itself.
		if (streams != null && this.security.isAllowed(request, withinApplication + streams, "GET")) {
			for (String name : this.processors.names()) {
				boolean operate = !readOnly
						&& this.security.isAllowed(request, withinApplication + streams + "/" + name, "POST");
				operatesAny |= operate;
				processors.put(name, Map.of("operate", operate));
			}
		}
		String user = this.security.user(request);
		Map<String, Object> session = new LinkedHashMap<>();
		session.put("application", this.application);
		session.put("endpoints", endpoints);
		session.put("missingEndpoints", missing);
		session.put("exposureProperty", "management.endpoints.web.exposure.include");
		session.put("user", user);
		session.put("signIn", (this.security.offersSignIn() && user == null) ? prefix + this.path + SIGN_IN : null);
		session.put("processors", processors);
		session.put("readOnly", readOnly ? "management.endpoint.streams.access" : null);
		// Only for a user who may act: asking for the token may open a session.
		DashboardSecurity.CsrfHeader csrf = operatesAny ? this.security.csrf(request) : null;
		session.put("csrf", (csrf != null) ? Map.of("header", csrf.name(), "token", csrf.token()) : null);
		response.setContentType("application/json");
		response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
		this.json.writeValue(response.getOutputStream(), session);
	}

	/**
	 * Lets the application's security authenticate the user: its challenge or its login
	 * page answers; once signed in, back to the page.
	 */
	private void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!this.security.offersSignIn()) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND, "The application has no sign-in");
			return;
		}
		try {
			if (request.authenticate(response)) {
				response.sendRedirect(prefix(request, SIGN_IN) + this.path + "/");
			}
		}
		catch (ServletException ex) {
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Could not sign in: " + ex.getMessage());
		}
	}

	/**
	 * What comes before the dashboard's path in the URL the browser asked for: the
	 * context path and the dispatcher's own path, where Actuator's endpoints are too.
	 */
	private String prefix(HttpServletRequest request, String suffix) {
		String uri = request.getRequestURI();
		String ending = this.path + suffix;
		return uri.endsWith(ending) ? uri.substring(0, uri.length() - ending.length()) : request.getContextPath();
	}

	private static ResourceHttpRequestHandler resources(Resource location) {
		ResourceHttpRequestHandler handler = new ResourceHttpRequestHandler();
		handler.setLocations(List.of(location));
		// Revalidated on every load (Last-Modified), so that a new version shows at once.
		handler.setCacheControl(CacheControl.noCache());
		try {
			handler.afterPropertiesSet();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not serve the dashboard's files from " + location, ex);
		}
		return handler;
	}

	private static byte[] read(Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The dashboard's page is missing from the classpath: " + resource, ex);
		}
	}

}
