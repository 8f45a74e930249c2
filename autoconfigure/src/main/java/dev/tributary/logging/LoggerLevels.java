package dev.tributary.logging;

import java.util.function.Supplier;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Sets the level of loggers the application has not configured. A logger counts as
 * configured when it has a level of its own, from {@code logging.level.*} or from the
 * logging system's configuration file; such a level is never changed.
 */
public final class LoggerLevels {

	private final LoggingSystem loggingSystem;

	/**
	 * Creates levels for the given logging system.
	 * @param loggingSystem the application's logging system
	 */
	public LoggerLevels(LoggingSystem loggingSystem) {
		this.loggingSystem = loggingSystem;
	}

	/**
	 * Sets a logger's level unless the application configured it. From then on the
	 * logger has a configured level, so a second call leaves it alone.
	 * @param name the logger name
	 * @param level the level
	 * @return whether the level was set
	 */
	public boolean setUnlessConfigured(String name, LogLevel level) {
		try {
			if (isConfigured(name)) {
				return false;
			}
			this.loggingSystem.setLogLevel(name, level);
			return true;
		}
		catch (RuntimeException ex) {
			// A logging system that cannot be changed (not the one Spring Boot set up, say):
			// a level is only a default, never worth failing for.
			return false;
		}
	}

	/**
	 * Runs an action with a logger at the given level, unless the application configured
	 * it, and leaves the logger unconfigured again afterwards. For a step whose log lines
	 * are known to repeat ones logged elsewhere; other threads logging to the same logger
	 * meanwhile are affected too.
	 * @param name the logger name
	 * @param level the level while the action runs
	 * @param action the action
	 */
	public void runAt(String name, LogLevel level, Runnable action) {
		callAt(name, level, () -> {
			action.run();
			return null;
		});
	}

	/**
	 * Like {@link #runAt}, for an action with a result.
	 * @param name the logger name
	 * @param level the level while the action runs
	 * @param action the action
	 * @param <T> the result type
	 * @return the action's result
	 */
	public <T> T callAt(String name, LogLevel level, Supplier<T> action) {
		boolean set = setUnlessConfigured(name, level);
		try {
			return action.get();
		}
		finally {
			if (set) {
				this.loggingSystem.setLogLevel(name, null);
			}
		}
	}

	private boolean isConfigured(String name) {
		LoggerConfiguration configuration = this.loggingSystem.getLoggerConfiguration(name);
		return configuration != null && configuration.getConfiguredLevel() != null;
	}

}
