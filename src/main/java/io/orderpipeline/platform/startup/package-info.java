/**
 * What is true before any route starts ({@link io.orderpipeline.platform.startup.PipelineStartup}, the one
 * {@code camel.main.configuration-classes} entry): both HTTP servers hardened and secured, the meters bound, tracing
 * installed, the topics and the schema the routes wait for. The only package that wires in the Camel-gap layer
 * ({@code io.orderpipeline.upstream}).
 */
package io.orderpipeline.platform.startup;
