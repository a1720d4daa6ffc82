/**
 * The intake stage, HTTP to Kafka (routes orders-api, orders-batch, orders-lookup): what the routes call to turn a
 * request into an order ({@link io.orderpipeline.intake.OrderRequests}), decide an Idempotency-Key
 * ({@link io.orderpipeline.intake.IdempotencyKeys}) and make a batch's records. It does not know the sink.
 */
package io.orderpipeline.intake;
