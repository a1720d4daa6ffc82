package io.orderpipeline.order;

import java.util.UUID;

/**
 * An order request under an Idempotency-Key, as {@link IdempotencyKeys#claim} decided it: the order to publish (this
 * request's, or the first request's when an earlier attempt's outcome is unknown), or the first request's order to
 * answer again without publishing anything ({@link #isAnswered()}).
 */
public final class IdempotentOrder {

    private final Order order;
    private final boolean answered;
    private final String clientId;
    private final String key;
    private final UUID claim;

    IdempotentOrder(Order order, boolean answered, String clientId, String key, UUID claim) {
        this.order = order;
        this.answered = answered;
        this.clientId = clientId;
        this.key = key;
        this.claim = claim;
    }

    public Order getOrder() {
        return order;
    }

    /** The broker acknowledged this key's order before: answer it again, publish nothing. */
    public boolean isAnswered() {
        return answered;
    }

    String clientId() {
        return clientId;
    }

    String key() {
        return key;
    }

    UUID claim() {
        return claim;
    }
}
