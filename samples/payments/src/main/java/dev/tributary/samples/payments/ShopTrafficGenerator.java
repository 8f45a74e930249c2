package dev.tributary.samples.payments;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Plays the shop in real time: sends the {@link ShopTraffic} simulation's events to
 * {@code shop-events} as their time comes, with a flash sale now and then that brings
 * many more orders than the inventory processor can keep up with. Switch it off with
 * {@code shop.generator.enabled=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "shop.generator.enabled", matchIfMissing = true)
class ShopTrafficGenerator {

	private static final Log logger = LogFactory.getLog(ShopTrafficGenerator.class);

	private final KafkaTemplate<String, String> template;

	private final ShopProperties.Generator settings;

	private final Instant start = Instant.now();

	private final ShopTraffic traffic;

	private boolean sale;

	ShopTrafficGenerator(KafkaTemplate<String, String> template, ShopProperties shop, ShopSerdes serdes) {
		this.template = template;
		this.settings = shop.generator();
		this.traffic = new ShopTraffic(System.nanoTime(), this.start, shop.catalog().keySet(), serdes::toJson);
	}

	@Scheduled(fixedRateString = "${shop.generator.interval:100ms}")
	void sendEvents() {
		Instant now = Instant.now();
		for (ShopTraffic.Event event : this.traffic.until(now, ordersPerSecond(now))) {
			this.template
				.send(new ProducerRecord<>(Topics.SHOP_EVENTS, null, event.timestamp(), event.key(), event.value()));
		}
	}

	/** A flash sale takes the last {@code sale-length} of every {@code sale-every}. */
	private double ordersPerSecond(Instant now) {
		Duration every = this.settings.saleEvery();
		boolean inSale = !every.isZero()
				&& Duration.between(this.start, now).toMillis() % every.toMillis() >= every.minus(this.settings.saleLength())
					.toMillis();
		if (inSale != this.sale) {
			this.sale = inSale;
			logger.info(inSale ? "Flash sale: " + this.settings.ordersPerSecond() * this.settings.saleFactor()
					+ " orders a second for " + this.settings.saleLength() : "Flash sale over");
		}
		return this.settings.ordersPerSecond() * (inSale ? this.settings.saleFactor() : 1);
	}

}
