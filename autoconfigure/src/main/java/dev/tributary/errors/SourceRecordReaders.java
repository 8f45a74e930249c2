package dev.tributary.errors;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorListener;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Gives each run of a processor that uses Tributary's error handling a reader for the
 * original bytes of records that fail after Kafka Streams released them, and closes it
 * with the run. Without it, such a record fails the task instead of going to the
 * dead-letter topic without its bytes.
 */
public class SourceRecordReaders implements ProcessorListener {

	private final Map<ManagedProcessor, SourceRecordReader> readers = new ConcurrentHashMap<>();

	@Override
	public void configure(ManagedProcessor processor, Properties streamsProperties) {
		if (!(streamsProperties.get(ErrorHandlingSettings.CONFIG_KEY) instanceof ErrorHandlingSettings)) {
			return;
		}
		SourceRecordReader reader = new SourceRecordReader(streamsProperties);
		streamsProperties.put(SourceRecordReader.CONFIG_KEY, reader);
		SourceRecordReader previous = this.readers.put(processor, reader);
		if (previous != null) {
			previous.close();
		}
	}

	@Override
	public void streamsClosed(ManagedProcessor processor, KafkaStreams streams) {
		SourceRecordReader reader = this.readers.remove(processor);
		if (reader != null) {
			reader.close();
		}
	}

}
