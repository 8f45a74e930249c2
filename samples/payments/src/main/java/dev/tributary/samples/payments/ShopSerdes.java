package dev.tributary.samples.payments;

import org.apache.kafka.common.serialization.Serde;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.support.serializer.JacksonJsonSerde;
import org.springframework.stereotype.Component;

/**
 * The JSON serdes of the shop's topics and stores: spring-kafka's {@link JacksonJsonSerde}
 * on Spring Boot's {@link JsonMapper}. The type of a polymorphic value is its
 * {@code type} field, never a type header, so any producer can write the topics.
 */
@Component
public class ShopSerdes {

	private final JsonMapper json;

	public ShopSerdes(JsonMapper json) {
		this.json = json;
	}

	/**
	 * A serde for one value type.
	 * @param <T> the type
	 * @param type the type's class
	 * @return the serde
	 */
	public <T> Serde<T> of(Class<T> type) {
		return new JacksonJsonSerde<T>(type, this.json).noTypeInfo().ignoreTypeHeaders();
	}

	/**
	 * A shop event as the JSON text a producer sends.
	 * @param event the event
	 * @return the JSON, with its {@code type} field
	 */
	public String toJson(ShopEvent event) {
		return this.json.writerFor(ShopEvent.class).writeValueAsString(event);
	}

}
