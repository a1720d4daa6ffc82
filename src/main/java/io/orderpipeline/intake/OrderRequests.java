package io.orderpipeline.intake;

import java.util.UUID;

import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderBatchRequest;
import io.orderpipeline.order.OrderValidator;
import io.orderpipeline.platform.NonBlocking;
import io.orderpipeline.platform.security.ClientAuthentication;
import io.vertx.ext.auth.User;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * The order validator as the HTTP routes call it: the request's body and the client it authenticated as in, an order
 * (or a batch, or the id of a lookup) out. The rules themselves are the framework-free {@link OrderValidator}'s.
 */
@NonBlocking
public class OrderRequests {

    private final OrderValidator validator;

    public OrderRequests(OrderValidator validator) {
        this.validator = validator;
    }

    /** {@code POST /orders}: the new order the body describes, from the client the request authenticated as. */
    public Order fromRequest(@Body byte[] body, @Header(ClientAuthentication.USER) User client) {
        return validator.fromRequest(body, ClientAuthentication.clientId(client));
    }

    /** {@code POST /orders/batch}: each item's new order or why it was refused. */
    public OrderBatchRequest fromBatchRequest(@Body byte[] body, @Header(ClientAuthentication.USER) User client) {
        return validator.fromBatchRequest(body, ClientAuthentication.clientId(client));
    }

    /** {@code GET /orders/{id}}: the order id, 400 when it is not a UUID. */
    public UUID lookupId(@Header("id") String id) {
        return validator.lookupId(id);
    }

    /** The client id of an order, for its Kafka header (null, and so no header, for an anonymous one). */
    public String recordClientId(@Body Order order) {
        return order.clientId();
    }

    /**
     * The Kafka record key of an accepted order: its id. (As a bean call on this singleton; {@code ${body.id}} would
     * introspect each new Order instance.)
     */
    public String recordKey(@Body Order order) {
        return order.id().toString();
    }
}
