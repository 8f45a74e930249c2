package dev.tributary.samples.orders;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Gives each order the time it was placed, so that it counts in the hour of its order
 * time, however late it arrives, and not in the hour it was written to Kafka.
 */
class OrderTimeExtractor implements TimestampExtractor {

	@Override
	public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
		// A record without a value (a tombstone) is no order: it keeps its own timestamp, and
		// the join with users skips it (Kafka Streams' dropped-records metric counts it).
		return (record.value() instanceof Order order) ? order.orderTime().toEpochMilli() : record.timestamp();
	}

}
