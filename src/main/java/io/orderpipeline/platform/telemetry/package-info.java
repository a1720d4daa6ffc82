/**
 * OpenTelemetry from the {@code orders.tracing.*} keys ({@link io.orderpipeline.platform.telemetry.TracingSetup}), and
 * logs that say a repeated failure once in a while instead of every time.
 */
package io.orderpipeline.platform.telemetry;
