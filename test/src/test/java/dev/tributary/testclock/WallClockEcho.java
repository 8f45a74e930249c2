package dev.tributary.testclock;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Answers every record with the processor's wall-clock time. Outside the test
 * application's package, so that only the tests that create it run it.
 */
@StreamProcessor("wall-clock-echo")
public class WallClockEcho {

	void topology(StreamsBuilder builder) {
		builder.stream("ticks", Consumed.with(Serdes.String(), Serdes.String()))
			.process(WallClock::new)
			.to("wall-clock", Produced.with(Serdes.String(), Serdes.Long()));
	}

	private static final class WallClock implements Processor<String, String, String, Long> {

		private ProcessorContext<String, Long> context;

		@Override
		public void init(ProcessorContext<String, Long> context) {
			this.context = context;
		}

		@Override
		public void process(Record<String, String> record) {
			this.context.forward(record.withValue(this.context.currentSystemTimeMs()));
		}

	}

}
