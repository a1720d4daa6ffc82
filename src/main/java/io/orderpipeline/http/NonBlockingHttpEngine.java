package io.orderpipeline.http;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * camel-platform-http-vertx with {@link NonBlockingHttpConsumer}s: a request holds a Vert.x worker thread only while
 * its route runs synchronously, not while it waits for Kafka's acknowledgement, and the routes named in
 * {@code eventLoopRoutes} (routes that never block) run on the Vert.x event loop without a worker at all. Selected
 * with {@code camel.component.platform-http.engine}.
 */
public class NonBlockingHttpEngine extends VertxPlatformHttpEngine {

    private final Set<String> eventLoopRoutes;

    public NonBlockingHttpEngine() {
        this("");
    }

    /** @param eventLoopRoutes comma-separated ids of the routes to run on the event loop */
    public NonBlockingHttpEngine(String eventLoopRoutes) {
        this.eventLoopRoutes = Arrays.stream(eventLoopRoutes.split(","))
                .map(String::trim).filter(id -> !id.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new NonBlockingHttpConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()), eventLoopRoutes);
    }
}
