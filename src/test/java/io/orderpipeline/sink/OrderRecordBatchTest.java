package io.orderpipeline.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.orderpipeline.order.OrderValidator;
import io.orderpipeline.platform.metrics.OrderMetrics;
import io.orderpipeline.support.Orders;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink's batch commits only what the route hands it, and for each partition only its last record's offset. */
class OrderRecordBatchTest {

    private final CamelContext context = new DefaultCamelContext();
    private final OrderRecordBatch batch = new OrderRecordBatch(new OrderValidator(1024, 65_536), new OrderMetrics(),
            new RecordTracing());

    @Test
    void doneNamesTheLastCommitOfEachPartition() {
        List<KafkaManualCommit> commits = new ArrayList<>();
        List<Exchange> poll = new ArrayList<>();
        int[][] partitionsAndOffsets = {{0, 10}, {1, 4}, {0, 11}, {2, 7}, {1, 5}};
        for (int[] at : partitionsAndOffsets) {
            KafkaManualCommit commit = () -> { };
            commits.add(commit);
            poll.add(record(at[0], at[1], commit));
        }

        List<KafkaManualCommit> done = batch.done(batch.read(poll));

        assertThat(done).containsExactly(commits.get(2), commits.get(4), commits.get(3));
    }

    @Test
    void aPollWithoutManualCommitsIsRefusedBeforeAnythingIsStored() {
        List<Exchange> poll = List.of(record(0, 10, () -> { }), record(0, 11, null));

        // camel-kafka would otherwise commit on its own, whether or not the orders were stored
        assertThatThrownBy(() -> batch.read(poll)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowManualCommit");
    }

    private Exchange record(int partition, long offset, KafkaManualCommit commit) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(Orders.json("batch " + offset).getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, "orders");
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        if (commit != null) {
            exchange.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, commit);
        }
        return exchange;
    }
}
