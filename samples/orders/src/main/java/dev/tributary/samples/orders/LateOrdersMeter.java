package dev.tributary.samples.orders;

import java.util.Map;
import java.util.OptionalInt;

import dev.tributary.runtime.ManagedProcessor;
import dev.tributary.runtime.ProcessorRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The meter {@code orders.late.dropped}: orders that came after their hour's grace period
 * and are in no window.
 *
 * <p>Kafka Streams drops such records and counts them in its task metric
 * {@code dropped-records-total} (group {@code stream-task-metrics}, tags
 * {@code thread-id} and {@code task-id}), together with anything else a task drops. This
 * meter adds up that metric over the tasks of the sub-topology that aggregates the hours
 * only, where the sole records dropped are late ones (the orders reaching it all have a
 * region to group by). It reads Kafka Streams' metrics when asked, so it counts from the
 * first late order on (Micrometer's own binding of Kafka metrics only picks up a new
 * task's metrics once a minute). It counts since the processor last started, on this
 * instance.
 */
class LateOrdersMeter implements MeterBinder {

	/** The meter's name. */
	static final String NAME = "orders.late.dropped";

	private final ProcessorRegistry processors;

	LateOrdersMeter(ProcessorRegistry processors) {
		this.processors = processors;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter
			.builder(NAME, this.processors,
					(processors) -> processors.find(LocalSales.NAME).map(LateOrdersMeter::dropped).orElse(0.0))
			.description("Orders after their hour's grace period, in no window (Kafka Streams' dropped records of "
					+ "the tasks that aggregate " + LocalSales.STORE + ")")
			.tag("processor", LocalSales.NAME)
			.register(registry);
	}

	private static double dropped(ManagedProcessor processor) {
		KafkaStreams streams = processor.kafkaStreams().orElse(null);
		TopologyDescription topology = processor.topology().orElse(null);
		if (streams == null || topology == null) {
			return 0;
		}
		OptionalInt subtopology = subtopologyOf(topology, LocalSales.STORE);
		return subtopology.isPresent() ? droppedRecords(streams.metrics(), subtopology.getAsInt()) : 0;
	}

	/**
	 * The sub-topology a store is in.
	 * @param topology the topology
	 * @param store the store's name
	 * @return the sub-topology's id, if a processor node of it uses the store
	 */
	static OptionalInt subtopologyOf(TopologyDescription topology, String store) {
		return topology.subtopologies()
			.stream()
			.filter((subtopology) -> subtopology.nodes()
				.stream()
				.anyMatch((node) -> node instanceof TopologyDescription.Processor processor
						&& processor.stores().contains(store)))
			.mapToInt(TopologyDescription.Subtopology::id)
			.findFirst();
	}

	/**
	 * Adds up the dropped records of the tasks of one sub-topology.
	 * @param metrics Kafka Streams' metrics
	 * @param subtopology the sub-topology's id (task ids are {@code <subtopology>_<partition>})
	 * @return the records they dropped
	 */
	static double droppedRecords(Map<MetricName, ? extends Metric> metrics, int subtopology) {
		String taskPrefix = subtopology + "_";
		return metrics.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().group().equals("stream-task-metrics")
					&& entry.getKey().name().equals("dropped-records-total")
					&& entry.getKey().tags().getOrDefault("task-id", "").startsWith(taskPrefix))
			.mapToDouble((entry) -> ((Number) entry.getValue().metricValue()).doubleValue())
			.sum();
	}

}
