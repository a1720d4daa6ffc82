/**
 * The Camel gaps: classes that extend, wrap or replace a Camel, camel-kafka or Vert.x internal because Camel has no
 * setting or extension point for what they do. Each names the gap it fills and the upstream issue where there is one,
 * and has a test that shows what breaks without it. They know no stage; only the start-up
 * ({@code io.orderpipeline.platform.startup}) and application.properties name them (ArchitectureTest), so each goes,
 * with its lines there, the day Camel closes its gap. The Vert.x types of the HTTP side are used here and in
 * {@code platform.http}, {@code platform.security} and {@code platform.startup} only.
 */
package io.orderpipeline.upstream;
