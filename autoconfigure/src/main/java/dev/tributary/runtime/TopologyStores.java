package dev.tributary.runtime;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.TopologyDescription;

/**
 * The state stores a topology declares.
 */
public final class TopologyStores {

	private TopologyStores() {
	}

	/**
	 * The names of every store of a topology, global stores included.
	 * @param topology the topology's description
	 * @return the store names, sorted
	 */
	public static List<String> names(TopologyDescription topology) {
		Set<String> stores = new TreeSet<>();
		for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
			for (TopologyDescription.Node node : subtopology.nodes()) {
				if (node instanceof TopologyDescription.Processor processor) {
					stores.addAll(processor.stores());
				}
			}
		}
		stores.addAll(globalNames(topology));
		return List.copyOf(stores);
	}

	/**
	 * The names of a topology's global stores.
	 * @param topology the topology's description
	 * @return the global store names, sorted
	 */
	public static List<String> globalNames(TopologyDescription topology) {
		Set<String> stores = new TreeSet<>();
		for (TopologyDescription.GlobalStore store : topology.globalStores()) {
			stores.addAll(store.processor().stores());
		}
		return List.copyOf(stores);
	}

}
