package io.orderpipeline.upstream;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;

/**
 * A Kafka producer whose acknowledgement of a record sent from a Vert.x event loop is handled on that event loop: the
 * route continues after its send where it ran before it (with {@link AckThreadExecutor}, which then runs the
 * continuation where it is handed over), as a hand-written Vert.x door does. A send from any other thread is
 * acknowledged on the Kafka client's I/O thread, as before.
 * <p>
 * Why: a producer has one I/O thread, and camel-kafka continues every route after its send on whichever thread
 * completes the send's callback. Left there, the steps after the send of every order (their tracing, meters, route
 * completion) ran on that one thread, which did nine tenths of its work for Camel and a tenth for Kafka
 * (bench/results/20261206-164533-door-profile.md): one core for the half of the door's work after the send, however
 * many event loops took the requests. Handed back, that work spreads over the event loops with the connections.
 * <p>
 * Gap: camel-kafka has no setting to continue a route on the thread or Vert.x context that sent (its
 * {@code workerPool} sees only a task, not the exchange it belongs to); no upstream issue as of 2026-12-06. Without it:
 * ApiEventLoopsTest (the steps after the send run on the producer's I/O thread). Goes with
 * {@link NonBlockingHttpConsumer}, or once camel-kafka can continue a route on the context that sent.
 */
public final class AckOnSendingLoop {

    private AckOnSendingLoop() {
    }

    @SuppressWarnings("unchecked")
    public static <K, V> Producer<K, V> wrap(Producer<K, V> producer) {
        InvocationHandler calls = (proxy, method, args) -> {
            if (method.getName().equals("send") && args != null && args.length == 2 && args[1] instanceof Callback) {
                Context loop = Vertx.currentContext();
                if (loop != null && loop.isEventLoopContext()) {
                    Callback acknowledged = (Callback) args[1];
                    args = new Object[] {args[0], (Callback) (metadata, failure) ->
                            loop.runOnContext(v -> acknowledged.onCompletion(metadata, failure))};
                }
            }
            try {
                return method.invoke(producer, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Producer<K, V>) Proxy.newProxyInstance(AckOnSendingLoop.class.getClassLoader(),
                new Class<?>[] {Producer.class}, calls);
    }
}
