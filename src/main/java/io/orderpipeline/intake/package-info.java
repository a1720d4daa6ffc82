/**
 * The intake stage, HTTP to Kafka (routes orders-api, orders-batch, orders-lookup and orders-api-errors): what the
 * routes call to turn a request into an order ({@link io.orderpipeline.intake.OrderRequests}), decide an
 * Idempotency-Key ({@link io.orderpipeline.intake.IdempotencyKeys}), make a batch's records and scope a lookup to the
 * client's own orders ({@link io.orderpipeline.intake.ReadScope}). It does not know the sink.
 */
package io.orderpipeline.intake;
