package io.orderpipeline.intake;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderpipeline.platform.NonBlocking;
import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderBatchRequest;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The Kafka records of a batch's accepted orders, as camel-kafka sends a list body: one message per order, its JSON
 * as the value, keyed by its id, as orders-api publishes a single order. The record headers are not set here:
 * camel-kafka gives every record of a list the headers of the exchange's message (route orders-batch sets the
 * client id there, and the tracer the trace context).
 */
@NonBlocking
public class OrderRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    public List<Message> of(@Body OrderBatchRequest batch, Exchange exchange) {
        List<Message> records = new ArrayList<>(batch.getAcceptedCount());
        for (Order order : batch.getOrders()) {
            Message record = new DefaultMessage(exchange);
            record.setHeader(KafkaConstants.KEY, order.id().toString());
            try {
                record.setBody(JSON.writeValueAsBytes(order));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            records.add(record);
        }
        return records;
    }
}
