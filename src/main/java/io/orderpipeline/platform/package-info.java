/**
 * Shared pieces below the stages, which intake, sink and the Camel-gap layer may all use: for now the
 * {@link io.orderpipeline.platform.NonBlocking} mark by which a bean says a route may call it on an event loop.
 */
package io.orderpipeline.platform;
