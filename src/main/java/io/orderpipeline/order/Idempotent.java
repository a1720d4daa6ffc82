package io.orderpipeline.order;

/** A request that may hold a claim on an Idempotency-Key: {@link IdempotencyKeys#completed} marks it done. */
public interface Idempotent {

    /** The claim this request holds, or null: no key, or the key's orders were only answered again. */
    IdempotencyClaim idempotencyClaim();
}
