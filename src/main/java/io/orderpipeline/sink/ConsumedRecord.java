package io.orderpipeline.sink;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What the sink needs of one consumed record besides its value, read in one pass over the message's headers, where
 * camel-kafka puts it. Each header lookup walks Camel's case-insensitive map comparing names a character at a time,
 * and the sink made about nine a record: ~14% of its consumer threads' CPU samples (bench/README.md, 2026-12-01). The
 * record's own headers (trace context, client id) are read from the Kafka {@link Headers} camel-kafka hands over.
 *
 * @param partition -1 when the header is missing
 * @param offset    -1 when the header is missing
 * @param timestamp when the record was published (epoch milliseconds), -1 when unknown
 * @param commit    the record's manual commit (null unless the endpoint allows manual commits)
 */
public record ConsumedRecord(String topic, int partition, long offset, long timestamp, Object key,
                             Headers headers, KafkaManualCommit commit) {

    public static ConsumedRecord of(Message message) {
        String topic = null;
        int partition = -1;
        long offset = -1;
        long timestamp = -1;
        Object key = null;
        Headers headers = null;
        KafkaManualCommit commit = null;
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            Object value = header.getValue();
            switch (header.getKey()) {
                case KafkaConstants.TOPIC -> topic = value instanceof String text ? text : null;
                case KafkaConstants.PARTITION -> partition = value instanceof Integer number ? number : -1;
                case KafkaConstants.OFFSET -> offset = value instanceof Long number ? number : -1;
                case KafkaConstants.TIMESTAMP -> timestamp = value instanceof Long number ? number : -1;
                case KafkaConstants.KEY -> key = value;
                case KafkaConstants.HEADERS -> headers = value instanceof Headers kafka ? kafka : null;
                case KafkaConstants.MANUAL_COMMIT -> commit = value instanceof KafkaManualCommit manual ? manual : null;
                default -> {
                    // the record's headers, Camel's own
                }
            }
        }
        return new ConsumedRecord(topic, partition, offset, timestamp, key, headers, commit);
    }

    /** The text of the record's last header of that name, null when it has none. */
    public String header(String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
