package dev.tributary.samples.orders;

import dev.tributary.runtime.ProcessorRegistry;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A shop's orders, its users and its items: per region and hour of order time, how many
 * orders bought an item from the buyer's own region, and for how much.
 */
@SpringBootApplication
@EnableScheduling
public class OrdersApplication {

	public static void main(String[] args) {
		SpringApplication.run(OrdersApplication.class, args);
	}

	// The joins need these partition counts, so the topics are declared (Spring Kafka's
	// KafkaAdmin creates them at start-up, before any processor starts) rather than left
	// to a broker's default.

	@Bean
	NewTopic ordersTopic() {
		return TopicBuilder.name(LocalSales.ORDERS).partitions(LocalSales.USER_PARTITIONS).build();
	}

	@Bean
	NewTopic usersTopic() {
		return TopicBuilder.name(LocalSales.USERS).partitions(LocalSales.USER_PARTITIONS).compact().build();
	}

	@Bean
	NewTopic itemsTopic() {
		return TopicBuilder.name(LocalSales.ITEMS).partitions(LocalSales.ITEM_PARTITIONS).compact().build();
	}

	@Bean
	NewTopic unmatchedOrdersTopic() {
		return TopicBuilder.name(LocalSales.UNMATCHED).partitions(LocalSales.USER_PARTITIONS).build();
	}

	@Bean
	LateOrdersMeter lateOrdersMeter(ProcessorRegistry processors) {
		return new LateOrdersMeter(processors);
	}

}
