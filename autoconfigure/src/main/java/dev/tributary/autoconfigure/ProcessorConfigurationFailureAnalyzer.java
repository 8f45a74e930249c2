package dev.tributary.autoconfigure;

import dev.tributary.runtime.ProcessorConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link ProcessorConfigurationException} at start-up as a short description
 * and the action to take, instead of a stack trace.
 */
class ProcessorConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ProcessorConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ProcessorConfigurationException cause) {
		String action = (cause.getKey() != null) ? "Check the configuration property '" + cause.getKey() + "'."
				: "Fix the @StreamProcessor named in the description.";
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
