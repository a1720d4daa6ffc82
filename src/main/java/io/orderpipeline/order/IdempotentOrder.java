package io.orderpipeline.order;

/**
 * An order request under an Idempotency-Key, as {@link IdempotencyKeys#claim} decided it: the order to publish (this
 * request's, or the first request's when an earlier attempt's outcome is unknown), or the first request's order to
 * answer again without publishing anything ({@link #isAnswered()}).
 */
public final class IdempotentOrder implements Idempotent {

    private final Order order;
    private final IdempotencyClaim claim;

    /** @param claim the claim this request holds on the key, to publish the order; null: only answer it again */
    public IdempotentOrder(Order order, IdempotencyClaim claim) {
        this.order = order;
        this.claim = claim;
    }

    public Order getOrder() {
        return order;
    }

    /** The broker acknowledged this key's order before: answer it again, publish nothing. */
    public boolean isAnswered() {
        return claim == null;
    }

    @Override
    public IdempotencyClaim idempotencyClaim() {
        return claim;
    }
}
