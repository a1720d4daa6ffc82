package io.orderpipeline.upstream;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * camel-platform-http-vertx with {@link NonBlockingHttpConsumer}s: each route runs on the thread its steps allow (the
 * Vert.x event loop when none of them blocks, a pool of its own otherwise), and a request holds no thread while it
 * waits for Kafka's acknowledgement. Selected with {@code camel.component.platform-http.engine}, Camel's setting for
 * another engine; the gap (CAMEL-20011, CAMEL-27217) is the consumer's ({@link NonBlockingHttpConsumer}).
 */
public class NonBlockingHttpEngine extends VertxPlatformHttpEngine {

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new NonBlockingHttpConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
    }
}
