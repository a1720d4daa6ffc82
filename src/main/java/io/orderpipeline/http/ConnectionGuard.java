package io.orderpipeline.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what a client that connects and then sends slowly, or not at all, can hold on one HTTP server:
 * <ul>
 * <li>at most {@code maxConnections} open connections; a connection beyond them is closed as soon as it is
 * accepted, the open ones are served;</li>
 * <li>a new connection must deliver a request's headers within {@code requestTimeoutMs}, and a request's body must
 * be complete within {@code requestTimeoutMs} of its headers (else 408 and the connection closes);</li>
 * <li>after an answer, the next request's headers must arrive within {@code idleTimeoutMs}, so a connection that
 * trickles a byte now and then is closed like a quiet one.</li>
 * </ul>
 * Waiting for the broker's acknowledgement is not timed here (the producer's delivery timeout bounds it).
 * Installed twice: {@link #handle(HttpConnection)} as the server's connection handler, {@link #requests()} in front
 * of its routes. Everything runs on the connection's event loop: no blocking, a timer per waiting request.
 */
public final class ConnectionGuard implements Handler<HttpConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final String server;
    private final int maxConnections;
    private final long requestTimeoutMs;
    private final long idleTimeoutMs;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    /** connection -> the timer that closes it unless the next request's headers arrive first */
    private final Map<HttpConnection, Long> awaitingHeaders = new ConcurrentHashMap<>();
    private volatile Vertx vertx;

    public ConnectionGuard(String server, int maxConnections, long requestTimeoutMs, long idleTimeoutMs) {
        this.server = server;
        this.maxConnections = maxConnections;
        this.requestTimeoutMs = requestTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** The Vert.x whose timers to use; before the server listens. */
    public void useVertx(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public void handle(HttpConnection connection) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refused.increment();
            connection.close();
            LOG.debug("{}: refused a connection from {}, {} open", server, connection.remoteAddress(), maxConnections);
            return;
        }
        connection.closeHandler(closed -> {
            open.decrementAndGet();
            Long timer = awaitingHeaders.remove(connection);
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
        });
        awaitHeaders(connection, requestTimeoutMs);
    }

    /** In front of the server's routes: a request's headers have arrived. */
    public AuthenticationHandler requests() {
        return new AuthenticationHandler() {
            @Override
            public void handle(RoutingContext ctx) {
                HttpServerRequest request = ctx.request();
                HttpConnection connection = request.connection();
                Long waiting = awaitingHeaders.remove(connection);
                if (waiting != null) {
                    vertx.cancelTimer(waiting);
                }
                long body = request.isEnded() ? -1 : vertx.setTimer(requestTimeoutMs, timer -> {
                    if (!request.isEnded() && !ctx.response().ended()) {
                        timedOut.increment();
                        // the body will never complete: its reader must not report the close as a failure
                        request.exceptionHandler(closed -> { });
                        ctx.response().putHeader("Connection", "close");
                        ErrorBody.send(ctx.response(), 408, "the request's body did not arrive within "
                                + requestTimeoutMs / 1000 + " s");
                        connection.close();
                    }
                });
                ctx.addEndHandler(ended -> {
                    if (body >= 0) {
                        vertx.cancelTimer(body);
                    }
                    if (!ctx.response().closed()) {
                        awaitHeaders(connection, idleTimeoutMs);
                    }
                });
                ctx.next();
            }
        };
    }

    private void awaitHeaders(HttpConnection connection, long timeoutMs) {
        long timer = vertx.setTimer(timeoutMs, fired -> {
            if (awaitingHeaders.remove(connection, fired)) {
                timedOut.increment();
                connection.close();
            }
        });
        Long before = awaitingHeaders.put(connection, timer);
        if (before != null) {
            vertx.cancelTimer(before);
        }
    }

    public String server() {
        return server;
    }

    public int open() {
        return open.get();
    }

    /** Connections closed at once because {@code maxConnections} were open. */
    public long refused() {
        return refused.sum();
    }

    /** Connections closed, or requests answered 408, because headers or a body did not arrive in time. */
    public long timedOut() {
        return timedOut.sum();
    }
}
