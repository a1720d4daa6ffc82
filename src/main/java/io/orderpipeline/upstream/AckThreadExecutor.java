package io.orderpipeline.upstream;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code workerPool} of the orders-api Kafka producer: continues the route on the thread that handles the
 * broker's acknowledgement (the event loop that sent the record, {@link AckOnSendingLoop}; for a send from another
 * thread, the Kafka client's I/O thread) instead of handing it to a pool thread first; the HTTP answer is written on
 * the Vert.x event loop anyway, so the extra thread switch per order buys nothing. Only while
 * the steps after the send cannot block: when a route using it has one that may ({@link
 * io.orderpipeline.upstream.BlockingSteps}), the HTTP engine calls {@link #handOff}, and from then on the steps run on a
 * pool ({@link io.orderpipeline.upstream.Workers}), as camel-kafka's own worker pool would run them, so that the I/O thread
 * keeps receiving acknowledgements.
 * <p>
 * Gap: camel-kafka always continues a route after an asynchronous send on its {@code workerPool} (CAMEL-9957 made the
 * pool; no setting continues on the acknowledging thread). No upstream issue asks for that as of 2026-12-06. Without
 * it: AckThreadExecutorTest (the steps run on a pool thread, one switch more per order). Goes with
 * {@link NonBlockingHttpConsumer} or once camel-kafka can continue on the acknowledging thread.
 */
public class AckThreadExecutor extends AbstractExecutorService {

    private static final Logger LOG = LoggerFactory.getLogger(AckThreadExecutor.class);

    private volatile boolean shutdown;
    private volatile ExecutorService pool;

    /** From now on, runs what follows the send on a pool: {@code reason} names the steps that may block. */
    public synchronized void handOff(CamelContext context, String reason) {
        if (pool == null) {
            pool = io.orderpipeline.upstream.Workers.pool(context, this, "kafka acknowledgements");
            LOG.info("Steps after the Kafka send run on a pool, not on the acknowledgement thread: {} may block",
                    reason);
        }
    }

    /** Whether what follows the send runs on a pool rather than on the acknowledgement thread. */
    public boolean isHandingOff() {
        return pool != null;
    }

    /**
     * Runs the continuation right here, or on the pool after {@link #handOff}; also after {@link #shutdown()}: an
     * acknowledged order still gets its answer.
     */
    @Override
    public void execute(Runnable command) {
        ExecutorService handOff = pool;
        if (handOff == null || handOff.isShutdown()) {
            command.run();
            return;
        }
        try {
            handOff.execute(command);
        } catch (RejectedExecutionException e) {
            command.run();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        ExecutorService handOff = pool;
        if (handOff != null) {
            handOff.shutdown();
        }
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
