package dev.tributary.samples.gettingstarted;

import dev.tributary.StreamProcessor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.support.serializer.JacksonJsonSerde;

@StreamProcessor("activity")
class ActivityPerUser {

    private final JsonMapper json;

    ActivityPerUser(JsonMapper json) {
        this.json = json;
    }

    void topology(StreamsBuilder builder) {
        builder.stream("page-views", Consumed.with(Serdes.String(), json(PageView.class)))
               .groupByKey()
               .aggregate(() -> new Activity(0, null),
                          (user, view, activity) -> new Activity(activity.views() + 1, view.page()),
                          Materialized.<String, Activity, KeyValueStore<Bytes, byte[]>>as("activity-per-user")
                                      .withValueSerde(json(Activity.class)))
               .toStream().to("activity-updates", Produced.with(Serdes.String(), json(Activity.class)));
    }

    // Plain JSON: no type headers on the records, and none expected from their producers.
    private <T> JacksonJsonSerde<T> json(Class<T> type) {
        return new JacksonJsonSerde<T>(type, json).noTypeInfo().ignoreTypeHeaders();
    }
}
