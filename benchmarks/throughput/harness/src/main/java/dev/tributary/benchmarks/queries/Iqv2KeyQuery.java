package dev.tributary.benchmarks.queries;

import java.util.Set;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;

/**
 * Interactive Query v2 the way a query layer routes a point lookup: find the key's
 * partition from the metadata, then run a {@code KeyQuery} on that partition only.
 */
public final class Iqv2KeyQuery implements PointQuery {

	private final KafkaStreams streams;

	private final String storeName;

	private final Serializer<String> keySerializer = new StringSerializer();

	public Iqv2KeyQuery(KafkaStreams streams, String storeName) {
		this.streams = streams;
		this.storeName = storeName;
	}

	@Override
	public String description() {
		return "direct: IQv2 `KeyQuery` on the key's partition (`queryMetadataForKey`, then `query`)";
	}

	@Override
	public Object get(String key) {
		KeyQueryMetadata metadata = this.streams.queryMetadataForKey(this.storeName, key, this.keySerializer);
		StateQueryRequest<Long> request = StateQueryRequest.inStore(this.storeName)
			.withQuery(KeyQuery.<String, Long>withKey(key))
			.withPartitions(Set.of(metadata.partition()));
		StateQueryResult<Long> result = this.streams.query(request);
		QueryResult<Long> partitionResult = result.getOnlyPartitionResult();
		if (partitionResult.isFailure()) {
			throw new IllegalStateException("Query for '" + key + "' failed: " + partitionResult.getFailureReason()
					+ ": " + partitionResult.getFailureMessage());
		}
		return partitionResult.getResult();
	}

}
