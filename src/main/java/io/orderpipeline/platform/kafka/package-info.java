/**
 * The Kafka clients' settings from the {@code orders.kafka.*} keys, the broker's readiness check, and the topics made
 * or awaited at start-up.
 */
package io.orderpipeline.platform.kafka;
