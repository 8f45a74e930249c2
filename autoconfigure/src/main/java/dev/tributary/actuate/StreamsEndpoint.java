package dev.tributary.actuate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.tributary.async.AsyncStepStats;
import dev.tributary.dashboard.DeadLetterBrowser;
import dev.tributary.dashboard.GroupLag;
import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code streams} Actuator endpoint: lists the processors, describes one (state,
 * threads and tasks, assigned partitions, input lag, restoration, topology) and runs
 * actions on it.
 *
 * <ul>
 * <li>{@code GET /actuator/streams}: every processor, in brief;</li>
 * <li>{@code GET /actuator/streams/{name}}: one processor in detail;</li>
 * <li>{@code GET /actuator/streams/{name}/cluster}: every instance of the processor's
 * application with the partitions and stores it holds, from Kafka Streams' metadata;</li>
 * <li>{@code GET /actuator/streams/{name}/lag}: the lag of every input partition of the
 * whole group (committed and end offsets, asked of the cluster) with its recent
 * history;</li>
 * <li>{@code GET /actuator/streams/{name}/dead-letters}: the latest dead letters with
 * their headers, read from the dead-letter topics (bounded), and error counts;</li>
 * <li>{@code POST /actuator/streams/{name}} with {@code {"action": "start" | "stop" |
 * "pause" | "resume" | "restart"}} (and {@code "cleanUp": true} with {@code restart} to
 * delete local state first).</li>
 * </ul>
 * Unknown processors, parts and actions get a 4xx JSON error naming the valid ones. Reads
 * take in-memory state only and never call Kafka, but for {@code lag} and
 * {@code dead-letters}, which ask the cluster (and keep their answer for a few seconds).
 */
@Endpoint(id = "streams")
public class StreamsEndpoint {

	/**
	 * The actions {@code POST /actuator/streams/{name}} accepts.
	 */
	public enum Action {

		/** Starts a stopped or failed processor. */
		START,

		/** Stops a processor; it stays stopped until started again. */
		STOP,

		/** Pauses processing; the processor keeps its partitions and answers queries. */
		PAUSE,

		/** Resumes a paused processor. */
		RESUME,

		/** Stops and starts a processor, optionally deleting its local state in between. */
		RESTART

	}

	private final ProcessorRegistry registry;

	private static final String CLUSTER = "cluster";

	private static final String LAG = "lag";

	private static final String DEAD_LETTERS = "dead-letters";

	private final Function<String, List<AsyncStepStats>> asyncSteps;

	private final @Nullable GroupLag lag;

	private final @Nullable DeadLetterBrowser deadLetters;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Creates the endpoint for the given processors.
	 * @param registry the processors
	 */
	public StreamsEndpoint(ProcessorRegistry registry) {
		this(registry, (processor) -> List.of());
	}

	/**
	 * Creates the endpoint for the given processors and their async steps.
	 * @param registry the processors
	 * @param asyncSteps the async steps of a processor, by its name
	 */
	public StreamsEndpoint(ProcessorRegistry registry, Function<String, List<AsyncStepStats>> asyncSteps) {
		this(registry, asyncSteps, null, null);
	}

	/**
	 * Creates the endpoint for the given processors, their async steps, their groups' lag
	 * and their dead letters.
	 * @param registry the processors
	 * @param asyncSteps the async steps of a processor, by its name
	 * @param lag the groups' lag, or {@code null} for no {@code lag} part
	 * @param deadLetters the dead letters, or {@code null} for no {@code dead-letters} part
	 */
	public StreamsEndpoint(ProcessorRegistry registry, Function<String, List<AsyncStepStats>> asyncSteps,
			@Nullable GroupLag lag, @Nullable DeadLetterBrowser deadLetters) {
		this(registry, asyncSteps, lag, deadLetters, Show.WHEN_AUTHORIZED, Set.of());
	}

	/**
	 * Creates the endpoint for the given processors, their async steps, their groups' lag
	 * and their dead letters, whose contents are shown as configured.
	 * @param registry the processors
	 * @param asyncSteps the async steps of a processor, by its name
	 * @param lag the groups' lag, or {@code null} for no {@code lag} part
	 * @param deadLetters the dead letters, or {@code null} for no {@code dead-letters} part
	 * @param showValues to whom the keys, values and error texts of dead letters are shown
	 * (others see {@value StreamsEndpointParts#MASK} in their place)
	 * @param roles the roles that may see them with {@link Show#WHEN_AUTHORIZED}; none: any
	 * authenticated user
	 */
	public StreamsEndpoint(ProcessorRegistry registry, Function<String, List<AsyncStepStats>> asyncSteps,
			@Nullable GroupLag lag, @Nullable DeadLetterBrowser deadLetters, Show showValues, Set<String> roles) {
		this.registry = registry;
		this.asyncSteps = asyncSteps;
		this.lag = lag;
		this.deadLetters = deadLetters;
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
	}

	/**
	 * Lists every processor.
	 * @return the processors, in brief
	 */
	@ReadOperation
	public Map<String, Object> processors() {
		return Map.of("processors", this.registry.processors().stream().map(ProcessorDetails::summary).toList());
	}

	/**
	 * Describes one processor.
	 * @param name the processor name
	 * @param securityContext who asks: exception messages, which may hold a record's
	 * data, are shown only as {@code management.endpoint.streams.show-values} allows
	 * @return the processor in detail, or 404 naming the processors there are
	 */
	@ReadOperation
	public WebEndpointResponse<Map<String, Object>> processor(@Selector String name,
			SecurityContext securityContext) {
		ManagedProcessor processor = this.registry.find(name).orElse(null);
		if (processor == null) {
			return unknownProcessor(name);
		}
		boolean showMessages = this.showValues.isShown(securityContext, this.roles);
		Map<String, Object> detail = ProcessorDetails.detail(processor, showMessages);
		List<AsyncStepStats> steps = this.asyncSteps.apply(processor.name());
		if (!steps.isEmpty()) {
			detail.put("asyncSteps", ProcessorDetails.asyncSteps(steps, showMessages));
		}
		return new WebEndpointResponse<>(detail);
	}

	/**
	 * One part of a processor that its detail leaves out.
	 * @param name the processor name
	 * @param part {@code cluster}, {@code lag} or {@code dead-letters}
	 * @param securityContext who asks: the contents of dead letters are shown only as
	 * {@code management.endpoint.streams.show-values} allows
	 * @return the part; 404 naming the processors or the parts there are
	 */
	@ReadOperation
	public WebEndpointResponse<Map<String, Object>> part(@Selector String name, @Selector String part,
			SecurityContext securityContext) {
		ManagedProcessor processor = this.registry.find(name).orElse(null);
		if (processor == null) {
			return unknownProcessor(name);
		}
		GroupLag groupLag = this.lag;
		DeadLetterBrowser browser = this.deadLetters;
		if (CLUSTER.equals(part)) {
			return new WebEndpointResponse<>(ProcessorCluster.of(processor));
		}
		if (LAG.equals(part) && groupLag != null) {
			return new WebEndpointResponse<>(StreamsEndpointParts.lag(processor.name(), groupLag.lag(processor)));
		}
		if (DEAD_LETTERS.equals(part) && browser != null) {
			return new WebEndpointResponse<>(StreamsEndpointParts.deadLetters(processor.name(), browser.read(processor),
					this.showValues.isShown(securityContext, this.roles)));
		}
		return error(WebEndpointResponse.STATUS_NOT_FOUND,
				"Processor '" + name + "' has no part named '" + part + "'", "parts", parts());
	}

	private List<String> parts() {
		List<String> parts = new ArrayList<>(List.of(CLUSTER));
		if (this.lag != null) {
			parts.add(LAG);
		}
		if (this.deadLetters != null) {
			parts.add(DEAD_LETTERS);
		}
		return parts;
	}

	/**
	 * Runs an action on a processor.
	 * @param name the processor name
	 * @param action one of {@code start}, {@code stop}, {@code pause}, {@code resume},
	 * {@code restart}
	 * @param cleanUp with {@code restart}: whether to delete the processor's local state
	 * first, so its stores are restored from their changelogs
	 * @return the processor's state after the action; 404 for an unknown processor, 400
	 * for an unknown action, 409 for an action the processor's state does not allow
	 */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> action(@Selector String name, String action,
			@Nullable Boolean cleanUp) {
		ManagedProcessor processor = this.registry.find(name).orElse(null);
		if (processor == null) {
			return unknownProcessor(name);
		}
		Action parsed = parse(action);
		if (parsed == null) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Unknown action '" + action + "'", "actions",
					validActions());
		}
		if (Boolean.TRUE.equals(cleanUp) && parsed != Action.RESTART) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST,
					"'cleanUp' applies to the 'restart' action only, not '" + action + "'", "actions", validActions());
		}
		try {
			switch (parsed) {
				case START -> processor.start();
				case STOP -> processor.stop();
				case PAUSE -> processor.pause();
				case RESUME -> processor.resume();
				case RESTART -> processor.restart(Boolean.TRUE.equals(cleanUp));
			}
		}
		catch (IllegalStateException ex) {
			return error(409, ex.getMessage(), "state", processor.state().name());
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("name", processor.name());
		result.put("action", parsed.name().toLowerCase(Locale.ROOT));
		result.put("state", processor.state().name());
		result.put("started", processor.isStarted());
		result.put("paused", processor.isPaused());
		return new WebEndpointResponse<>(result);
	}

	private static @Nullable Action parse(String action) {
		for (Action candidate : Action.values()) {
			if (candidate.name().equalsIgnoreCase(action)) {
				return candidate;
			}
		}
		return null;
	}

	private static List<String> validActions() {
		return Arrays.stream(Action.values()).map((action) -> action.name().toLowerCase(Locale.ROOT)).toList();
	}

	private WebEndpointResponse<Map<String, Object>> unknownProcessor(String name) {
		return error(WebEndpointResponse.STATUS_NOT_FOUND, "No processor named '" + name + "'", "processors",
				this.registry.names());
	}

	private static WebEndpointResponse<Map<String, Object>> error(int status, String message, String validKey,
			Object valid) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status);
		body.put("error", message);
		body.put(validKey, valid);
		return new WebEndpointResponse<>(body, status);
	}

}
