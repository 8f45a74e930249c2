package dev.tributary.runtime;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topics a topology reads, by the names its records carry.
 */
class TopologyTopicsTests {

	@Test
	void topicsKafkaStreamsCreatesCarryTheApplicationIdAndTheOthersTheirOwnName() {
		StreamsBuilder builder = new StreamsBuilder();
		KTable<String, String> customers = builder.table("customers", Consumed.with(Serdes.String(), Serdes.String()));
		builder.table("orders", Consumed.with(Serdes.String(), Serdes.String()))
			.join(customers, (order) -> order, (order, customer) -> order + customer);
		builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
			.groupBy((key, line) -> line, Grouped.with(Serdes.String(), Serdes.String()))
			.count();
		assertThat(TopologyTopics.sourceTopics(builder.build().describe(), "shop")).containsExactlyInAnyOrder(
				"customers", "orders", "lines",
				"shop-KSTREAM-AGGREGATE-STATE-STORE-0000000022-repartition",
				"shop-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic",
				"shop-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic");
	}

}
