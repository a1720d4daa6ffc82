package io.orderpipeline.order;

/** No stored order has the id that {@code GET /orders/{id}} asked for: 404, answered like every refused request. */
public class OrderNotFoundException extends InvalidOrderException {

    public OrderNotFoundException(String message) {
        super(404, message, "id");
    }
}
