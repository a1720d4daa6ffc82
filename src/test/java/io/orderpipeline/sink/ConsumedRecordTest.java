package io.orderpipeline.sink;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumedRecordTest {

    @Test
    void readsWhatCamelKafkaPutIntoTheHeaders() {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        kafkaHeaders.add("client_id", "shop-1".getBytes(StandardCharsets.UTF_8));
        kafkaHeaders.add("client_id", "shop-2".getBytes(StandardCharsets.UTF_8));
        KafkaManualCommit commit = () -> { };
        Message message = new DefaultMessage(new DefaultCamelContext());
        // as camel-kafka sets them, with the record's own headers copied beside them
        message.setHeader(KafkaConstants.PARTITION, 4);
        message.setHeader(KafkaConstants.TOPIC, "orders");
        message.setHeader(KafkaConstants.OFFSET, 1234L);
        message.setHeader(KafkaConstants.HEADERS, kafkaHeaders);
        message.setHeader(KafkaConstants.TIMESTAMP, 1_764_000_000_000L);
        message.setHeader(KafkaConstants.KEY, "0147640b-0c59-4a3a-a55e-f7b07151255a");
        message.setHeader(KafkaConstants.MANUAL_COMMIT, commit);
        message.setHeader("client_id", "shop-2".getBytes(StandardCharsets.UTF_8));
        message.setHeader("CamelMessageTimestamp", 1_764_000_000_000L);

        ConsumedRecord record = ConsumedRecord.of(message);

        assertThat(record.topic()).isEqualTo("orders");
        assertThat(record.partition()).isEqualTo(4);
        assertThat(record.offset()).isEqualTo(1234L);
        assertThat(record.timestamp()).isEqualTo(1_764_000_000_000L);
        assertThat(record.key()).isEqualTo("0147640b-0c59-4a3a-a55e-f7b07151255a");
        assertThat(record.commit()).isSameAs(commit);
        assertThat(record.header("client_id")).as("the last header of that name, as Kafka's lastHeader")
                .isEqualTo("shop-2");
        assertThat(record.header("traceparent")).isNull();
    }

    @Test
    void missingHeadersReadAsUnknown() {
        ConsumedRecord record = ConsumedRecord.of(new DefaultMessage(new DefaultCamelContext()));

        assertThat(record.topic()).isNull();
        assertThat(record.partition()).isEqualTo(-1);
        assertThat(record.offset()).isEqualTo(-1);
        assertThat(record.timestamp()).isEqualTo(-1);
        assertThat(record.key()).isNull();
        assertThat(record.commit()).isNull();
        assertThat(record.header("client_id")).isNull();
    }
}
