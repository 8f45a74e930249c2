package dev.tributary.devbroker;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TableJoined;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DevBrokerTopicCreatorTests {

	@Test
	void createsTheTopicsTheTopologyReadsAndWritesButNotKafkaStreamsInternalOnes() {
		StreamsBuilder builder = new StreamsBuilder();
		KTable<String, String> orders = builder.table("orders", Consumed.with(Serdes.String(), Serdes.String()));
		KTable<String, String> customers = builder.table("customers",
				Consumed.with(Serdes.String(), Serdes.String()));
		// A generated and a named foreign-key join, and a repartition.
		orders.join(customers, (order) -> order, (order, customer) -> order + customer)
			.toStream()
			.to("enriched", Produced.with(Serdes.String(), Serdes.String()));
		orders.join(customers, (order) -> order, (order, customer) -> customer, TableJoined.as("by-customer"))
			.toStream()
			.to("enriched-named", Produced.with(Serdes.String(), Serdes.String()));
		builder.stream("clicks", Consumed.with(Serdes.String(), Serdes.String()))
			.selectKey((key, value) -> value)
			.groupByKey()
			.count();

		assertThat(DevBrokerTopicCreator.topicsToCreate(builder.build().describe()))
			.containsExactlyInAnyOrder("orders", "customers", "enriched", "enriched-named", "clicks");
	}

}
