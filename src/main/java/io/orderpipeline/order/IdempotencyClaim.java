package io.orderpipeline.order;

import java.util.UUID;

/** An Idempotency-Key's row (client and key) and the claim this attempt holds on it. */
public record IdempotencyClaim(String clientId, String key, UUID id) {
}
