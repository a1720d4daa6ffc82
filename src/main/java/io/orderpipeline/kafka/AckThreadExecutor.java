package io.orderpipeline.kafka;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code workerPool} of the orders-api Kafka producer: continues the route on the thread that received the
 * broker's acknowledgement (the Kafka client's I/O thread) instead of handing it to a pool thread first. What follows
 * the send in orders-api is a few header changes and a counter, and the HTTP answer is written on the Vert.x event loop
 * anyway, so the extra thread switch per order bought nothing. Steps added after the send must not block: they would
 * hold up every acknowledgement behind them.
 */
public class AckThreadExecutor extends AbstractExecutorService {

    private volatile boolean shutdown;

    /** Runs the continuation right here, also after {@link #shutdown()}: an acknowledged order still gets its answer. */
    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
