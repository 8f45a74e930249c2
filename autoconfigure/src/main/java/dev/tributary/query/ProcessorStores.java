package dev.tributary.query;

import java.util.List;

/**
 * A processor and its state stores, as {@link StateStoreQueryService#describe()} lists
 * them.
 *
 * @param name the processor name
 * @param state the state of its Kafka Streams instance
 * @param stores its stores, global ones included
 */
public record ProcessorStores(String name, String state, List<StoreDescription> stores) {

}
