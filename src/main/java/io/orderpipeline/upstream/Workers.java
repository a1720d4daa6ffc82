package io.orderpipeline.upstream;

import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;

/**
 * Thread pools for route steps that may block, of Camel's thread pool profile {@value #PROFILE}: where
 * {@link NonBlockingHttpConsumer} and {@link AckThreadExecutor} run a route that cannot stay on the event loop or the
 * acknowledging thread (FullWorkerPoolTest).
 */
public final class Workers {

    /** camel.threadpool.config[orders-workers].* in application.properties */
    public static final String PROFILE = "orders-workers";

    private Workers() {
    }

    /** A pool of the profile (Camel's default profile when it is not configured), shut down with the context. */
    public static ExecutorService pool(CamelContext context, Object source, String name) {
        if (context.getExecutorServiceManager().getThreadPoolProfile(PROFILE) == null) {
            return context.getExecutorServiceManager().newDefaultThreadPool(source, name);
        }
        return context.getExecutorServiceManager().newThreadPool(source, name, PROFILE);
    }
}
