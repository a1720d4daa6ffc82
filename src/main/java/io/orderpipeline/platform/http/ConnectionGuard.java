package io.orderpipeline.platform.http;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.orderpipeline.platform.telemetry.RateLimitedLog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what a client that connects and then sends slowly, or not at all, can hold on one HTTP server:
 * <ul>
 * <li>at most {@code maxConnections} open connections, and at most {@code maxPerAddress} of them from one client
 * address, so that one source cannot take every connection; a connection beyond either is closed as soon as it is
 * accepted, the open ones are served;</li>
 * <li>a new connection must deliver a request's headers within {@code requestTimeoutMs}, and a request's body must
 * be complete within {@code requestTimeoutMs} of its headers (else 408 and the connection closes);</li>
 * <li>after an answer, the next request's headers must arrive within {@code idleTimeoutMs}, so a connection that
 * trickles a byte now and then is closed like a quiet one.</li>
 * </ul>
 * Waiting for the broker's acknowledgement is not timed here (the producer's delivery timeout bounds it).
 * <p>
 * It also keeps a connection's requests apart where HTTP/1.1 framing is ambiguous ({@link TransferCoding}): a request
 * whose body's end cannot be known is answered and the connection closed; a chunked request is served and is the
 * connection's last (nothing read behind it runs); a body that breaks the chunked format is answered 400 and the
 * connection closed, with at most one log line a minute and no stack trace.
 * Installed twice: {@link #handle(HttpConnection)} as the server's connection handler, {@link #requests()} in front
 * of its routes. A connection lives on one event loop (a server's connections may be spread over several), and so do
 * its entry in that loop's table of deadlines and the loop's sweep that enforces them every {@link #SWEEP_MS} ms (and
 * notices answers: the idle deadline starts at the first sweep after one): a request costs a table lookup and two
 * field writes, no timer, no end handler and no lock.
 */
public final class ConnectionGuard implements Handler<HttpConnection>, MeterBinder {

    static final long SWEEP_MS = 250;

    /** Where a connection is: waiting for headers until {@code deadline}, or reading {@code body} until then. */
    private static final class State {
        long deadline;
        RoutingContext body;
        /** the connection's last request has come: any request behind it is never run */
        boolean last;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final RateLimitedLog MALFORMED = new RateLimitedLog(LOG, Duration.ofMinutes(1));

    private final String server;
    private final int maxConnections;
    private final int maxPerAddress;
    /** open connections by client address */
    private final Map<String, Integer> byAddress = new java.util.concurrent.ConcurrentHashMap<>();
    private final long requestTimeoutNanos;
    private final long idleTimeoutNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    /** the connections of the event loop it is read on, each loop's table only touched on that loop */
    private final ThreadLocal<Map<HttpConnection, State>> connections = ThreadLocal.withInitial(this::table);
    private volatile Vertx vertx;

    public ConnectionGuard(String server, int maxConnections, int maxPerAddress, long requestTimeoutMs,
                           long idleTimeoutMs) {
        this.server = server;
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    }

    /** The Vert.x of the server; before it listens. */
    public void useVertx(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public void handle(HttpConnection connection) {
        String address = connection.remoteAddress() == null ? "" : connection.remoteAddress().host();
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refused.increment();
            connection.close();
            return;
        }
        if (byAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
            closed(address);
            refused.increment();
            connection.close();
            return;
        }
        State state = new State();
        state.deadline = System.nanoTime() + requestTimeoutNanos;
        Map<HttpConnection, State> table = connections.get();
        table.put(connection, state);
        connection.closeHandler(closed -> {
            closed(address);
            table.remove(connection);
        });
        connection.exceptionHandler(failure -> failed(state, failure));
    }

    private void closed(String address) {
        open.decrementAndGet();
        byAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }

    /**
     * The connection failed. Other than an I/O error it is the HTTP decoder's: a body that breaks the chunked format.
     * Vert.x closes the connection right after; the request's own reader must not turn this into a routing failure.
     */
    private void failed(State state, Throwable failure) {
        if (failure instanceof IOException) {
            return; // the client went away
        }
        malformed.increment();
        MALFORMED.warn("Closed a connection of the {} server whose request was malformed ({})", server,
                failure.getClass().getSimpleName());
        RoutingContext body = state.body;
        if (body != null && !body.response().ended()) {
            body.request().exceptionHandler(ignored -> { });
            ErrorBody.sendAndClose(body.request(), 400, "the request's body is not valid chunked encoding");
        }
    }

    /** In front of the server's routes: a request's headers have arrived. */
    public AuthenticationHandler requests() {
        return new AuthenticationHandler() {
            @Override
            public void handle(RoutingContext ctx) {
                HttpServerRequest request = ctx.request();
                State state = connections.get().get(request.connection());
                if (state != null) {
                    if (state.last) {
                        request.connection().close();
                        return;
                    }
                    state.body = ctx;
                    state.deadline = System.nanoTime() + requestTimeoutNanos;
                }
                mediaTypeInLowerCase(request);
                switch (TransferCoding.of(request.headers().getAll(HttpHeaders.TRANSFER_ENCODING))) {
                    case UNFRAMED -> ErrorBody.sendAndClose(request, 400,
                            "Transfer-Encoding must end in chunked; or send Content-Length");
                    case UNSUPPORTED -> ErrorBody.sendAndClose(request, 400,
                            "no transfer coding other than chunked is supported");
                    case CHUNKED -> {
                        if (state != null) {
                            state.last = true;
                        }
                        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                        ctx.addEndHandler(ended -> request.connection().close());
                        ctx.next();
                    }
                    case NONE -> ctx.next();
                }
            }
        };
    }

    /**
     * Media types are case-insensitive (RFC 9110 8.3.1), but vertx-web matches a route's {@code consumes} against the
     * request's Content-Type case by case: {@code APPLICATION/JSON} would be a 415. Runs before any route reads the
     * header (vertx-web parses it when a route with {@code consumes} is first matched).
     */
    private static void mediaTypeInLowerCase(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        int parameters = type.indexOf(';');
        String mediaType = parameters < 0 ? type : type.substring(0, parameters);
        String lower = mediaType.toLowerCase(java.util.Locale.ROOT);
        if (!lower.equals(mediaType)) {
            request.headers().set(HttpHeaders.CONTENT_TYPE,
                    parameters < 0 ? lower : lower + type.substring(parameters));
        }
    }

    /** A new event loop's table, and its sweep, which runs on that loop (the one this is called on). */
    private Map<HttpConnection, State> table() {
        Map<HttpConnection, State> table = new HashMap<>();
        vertx.setPeriodic(SWEEP_MS, timer -> sweep(table));
        return table;
    }

    private void sweep(Map<HttpConnection, State> connections) {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<HttpConnection, State>> it = connections.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<HttpConnection, State> entry = it.next();
            State state = entry.getValue();
            RoutingContext body = state.body;
            if (body != null && body.response().ended()) {
                // answered since the last sweep: the next request's headers are due within the idle timeout
                state.body = null;
                state.deadline = now + idleTimeoutNanos;
                continue;
            }
            if (now - state.deadline < 0 || (body != null && body.request().isEnded())) {
                continue; // in time, or the request is complete and waits for its answer
            }
            it.remove();
            timedOut.increment();
            if (body != null) {
                // the body will never complete: its reader must not report the close as a failure
                body.request().exceptionHandler(closed -> { });
                ErrorBody.sendAndClose(body.request(), 408, "the request's body did not arrive within "
                        + TimeUnit.NANOSECONDS.toSeconds(requestTimeoutNanos) + " s");
            } else {
                entry.getKey().close();
            }
        }
    }

    public String server() {
        return server;
    }

    public int open() {
        return open.get();
    }

    /** Connections closed at once: {@code maxConnections} were open, or {@code maxPerAddress} from its address. */
    public long refused() {
        return refused.sum();
    }

    /** Connections closed (after a 400 where a request was under way) because the HTTP decoder failed. */
    public long malformed() {
        return malformed.sum();
    }

    /** Connections closed, or requests answered 408, because headers or a body did not arrive in time. */
    public long timedOut() {
        return timedOut.sum();
    }

    /**
     * http_connections_open, http_connections_refused_total, http_requests_timed_out_total and
     * http_requests_malformed_total{server}.
     */
    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("http.connections.open", this, ConnectionGuard::open)
                .description("Open HTTP connections").tag("server", server()).register(meters);
        FunctionCounter.builder("http.connections.refused", this, ConnectionGuard::refused)
                .description("Connections closed at once because orders.http.max-connections were open")
                .tag("server", server()).register(meters);
        FunctionCounter.builder("http.requests.timed.out", this, ConnectionGuard::timedOut)
                .description("Connections closed, or requests answered 408, because headers or a body came too slowly")
                .tag("server", server()).register(meters);
        FunctionCounter.builder("http.requests.malformed", this, ConnectionGuard::malformed)
                .description("Connections closed, after a 400 where a request was under way, because the HTTP decoder"
                        + " failed (a body that breaks the chunked format)")
                .tag("server", server()).register(meters);
    }
}
