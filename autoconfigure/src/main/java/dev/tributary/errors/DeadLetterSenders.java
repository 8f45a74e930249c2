package dev.tributary.errors;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Gives each run of an at-least-once processor that dead-letters production errors a
 * {@link DeadLetterSender} for the dead letters of refused results, and closes it with
 * the run. Under exactly-once a refused result stops the processor instead (see
 * {@link ProductionErrorHandler}).
 */
public class DeadLetterSenders implements ProcessorListener {

	private final Map<ManagedProcessor, DeadLetterSender> senders = new ConcurrentHashMap<>();

	@Override
	public void configure(ManagedProcessor processor, Properties streamsProperties) {
		if (!(streamsProperties.get(ErrorHandlingSettings.CONFIG_KEY) instanceof ErrorHandlingSettings settings)
				|| settings.production() != ErrorHandling.DEAD_LETTER || String
					.valueOf(streamsProperties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
					.startsWith("exactly_once")) {
			return;
		}
		DeadLetterSender sender = new DeadLetterSender(streamsProperties);
		streamsProperties.put(DeadLetterSender.CONFIG_KEY, sender);
		DeadLetterSender previous = this.senders.put(processor, sender);
		if (previous != null) {
			previous.close();
		}
	}

	@Override
	public void streamsClosed(ManagedProcessor processor, KafkaStreams streams) {
		DeadLetterSender sender = this.senders.remove(processor);
		if (sender != null) {
			sender.close();
		}
	}

}
