/**
 * The pieces the stages share, below them and above the order model; they know no stage (ArchitectureTest). Here the
 * {@link io.orderpipeline.platform.NonBlocking} mark by which a bean says a route may call it on an event loop; beside
 * it: {@code startup} (what is set up before the routes start), {@code http} (the guards and error body of both HTTP
 * servers), {@code security}, {@code metrics}, {@code telemetry}, {@code kafka} and {@code db} (clients, health checks,
 * topics and schema).
 */
package io.orderpipeline.platform;
