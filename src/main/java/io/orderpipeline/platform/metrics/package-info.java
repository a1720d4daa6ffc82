/**
 * The pipeline's own Prometheus meters beside Camel's ({@link io.orderpipeline.platform.metrics.OrderMetrics}), and the
 * consumer group's lag.
 */
package io.orderpipeline.platform.metrics;
