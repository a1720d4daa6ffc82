package io.orderpipeline.order;

/** 409: an earlier request with the same Idempotency-Key is still waiting for the broker; try again after a while. */
public class OrderInFlightException extends InvalidOrderException {

    private final long retryAfterSeconds;

    public OrderInFlightException(long retryAfterSeconds) {
        super(409, "an order with this Idempotency-Key is still in flight, try again", "Idempotency-Key");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The Retry-After header's value, in seconds. */
    public long getRetryAfter() {
        return retryAfterSeconds;
    }
}
