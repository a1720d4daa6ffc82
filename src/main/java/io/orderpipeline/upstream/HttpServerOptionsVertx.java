package io.orderpipeline.upstream;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;

/**
 * The Vert.x instance Camel's HTTP servers find in the registry, with a say over the servers they create.
 * <p>
 * Gap: camel-platform-http-vertx 4.18 ({@code VertxPlatformHttpServer.startServer}) builds its
 * {@code HttpServerOptions} itself and offers no setting for idle timeouts, HTTP/2 cleartext, client certificates or
 * a connection handler; it does take its Vert.x from the registry when there is one. This Vert.x delegates every call
 * to a real one, except that {@code createHttpServer} first passes the options Camel built (TLS already set) to
 * {@code options}, and a server's {@code listen} first passes the server and its port to {@link Listening#server}
 * and its request handler (Camel's router, whose error pages no setting reaches either) to
 * {@link Listening#requests}, where what must be set before the server listens goes.
 * <p>
 * Camel's server is one Vert.x HTTP server, and a Vert.x HTTP server serves all its connections on one event loop: one
 * core for every request's parsing, routing and answer, however many the machine has. Vert.x spreads a port's
 * connections over the event loops of the servers that listen on it, so where {@code servers} asks for more than one
 * on a port, Camel's server listens on the first event loop and as many more servers (the same options, connection
 * handling and router) on the next ones; they close with it. A port of 0 becomes one random port they share.
 * <p>
 * Goes once Camel exposes the server options (or a customizer) and a number of server instances (Quarkus and Vert.x
 * verticles deploy one per event loop); no upstream issue as of 2026-12-06, and Camel 4.24's move to Vert.x 5
 * (CAMEL-23647) will change the interface this delegates. Without it: ConnectionCapTest, RequestFramingTest,
 * ApiTlsTest, and ApiEventLoopsTest (every connection on one event loop).
 */
public final class HttpServerOptionsVertx {

    private HttpServerOptionsVertx() {
    }

    /** What to do with the servers of a port before they listen. */
    public interface Listening {
        /** For each server about to listen on {@code port} (its options already given to {@code options}). */
        void server(int port, HttpServer server);

        /** Once per port, before its first server listens: the request handler its servers share. */
        void requests(int port, Handler<HttpServerRequest> requests);
    }

    /**
     * @param servers how many servers, each on its own event loop, listen on a port (at most one per event loop; the
     *                port as Camel configured it, 0 included)
     */
    public static Vertx wrap(Vertx vertx, Consumer<HttpServerOptions> options, Listening listening,
                             IntUnaryOperator servers) {
        InvocationHandler calls = (proxy, method, args) -> {
            if (method.getName().equals("createHttpServer")) {
                HttpServerOptions given = args != null && args.length == 1 ? (HttpServerOptions) args[0]
                        : new HttpServerOptions();
                options.accept(given);
                return new Servers((VertxInternal) vertx, given, listening, servers).proxy;
            }
            return invoke(vertx, method, args);
        };
        return (Vertx) Proxy.newProxyInstance(HttpServerOptionsVertx.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class}, calls);
    }

    /** The server Camel created, as a proxy that stays the receiver of its fluent calls, and the servers beside it. */
    private static final class Servers implements InvocationHandler {

        private final VertxInternal vertx;
        private final HttpServerOptions options;
        private final Listening listening;
        private final IntUnaryOperator servers;
        private final HttpServer first;
        /** added on the event loops as they listen, closed from Camel's thread */
        private final List<HttpServer> more = new CopyOnWriteArrayList<>();
        final HttpServer proxy;
        private Handler<HttpServerRequest> requests;

        Servers(VertxInternal vertx, HttpServerOptions options, Listening listening, IntUnaryOperator servers) {
            this.vertx = vertx;
            this.options = options;
            this.listening = listening;
            this.servers = servers;
            this.first = vertx.createHttpServer(options);
            this.proxy = (HttpServer) Proxy.newProxyInstance(HttpServerOptionsVertx.class.getClassLoader(),
                    new Class<?>[] {HttpServer.class}, this);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("requestHandler") && args != null && args.length == 1) {
                requests = (Handler<HttpServerRequest>) args[0];
            } else if (name.equals("listen")) {
                int port = options.getPort();
                String host = options.getHost();
                if (args != null && args.length > 0 && args[0] instanceof Integer p) {
                    port = p;
                    if (args.length > 1 && args[1] instanceof String h) {
                        host = h;
                    }
                } else if (args != null && args.length > 0 && args[0] instanceof SocketAddress address) {
                    port = address.port();
                    host = address.host();
                }
                listening.requests(port, requests);
                listening.server(port, first);
                List<EventExecutor> loops = eventLoops();
                int count = Math.min(servers.applyAsInt(port), loops.size());
                if (count > 1 && !more.isEmpty()) {
                    throw new IllegalStateException("the servers of port " + port + " are listening already");
                }
                if (count > 1) {
                    Future<HttpServer> listened = listenOnLoops(port, host, loops.subList(0, count));
                    Handler<AsyncResult<HttpServer>> done = args != null && args.length > 0
                            && args[args.length - 1] instanceof Handler<?> handler
                            ? (Handler<AsyncResult<HttpServer>>) handler : null;
                    if (done != null) {
                        listened.onComplete(done);
                        return self;
                    }
                    return listened;
                }
            } else if (name.equals("close")) {
                more.forEach(HttpServer::close);
                more.clear();
            }
            Object result = HttpServerOptionsVertx.invoke(first, method, args);
            return result == first ? self : result;
        }

        /** Camel's server on the first event loop, then the others each on the next, on one port. */
        private Future<HttpServer> listenOnLoops(int port, String host, List<EventExecutor> loops) {
            // servers listening on the same negative port share one random port
            int shared = port == 0 ? -1 : port;
            Future<HttpServer> all = listenOn((EventLoop) loops.get(0), first, shared, host);
            for (int i = 1; i < loops.size(); i++) {
                EventLoop loop = (EventLoop) loops.get(i);
                all = all.compose(listened -> {
                    HttpServer server = vertx.createHttpServer(new HttpServerOptions(options));
                    listening.server(port, server);
                    server.requestHandler(requests);
                    more.add(server);
                    return listenOn(loop, server, shared, host);
                });
            }
            return all.map(proxy).recover(failure -> {
                more.forEach(HttpServer::close);
                more.clear();
                return first.close().transform(closed -> Future.failedFuture(failure));
            });
        }

        private Future<HttpServer> listenOn(EventLoop loop, HttpServer server, int port, String host) {
            ContextInternal context = vertx.createEventLoopContext(loop, null,
                    Thread.currentThread().getContextClassLoader());
            Promise<HttpServer> listened = context.promise();
            // listening from within the context binds the server's connections to its event loop
            context.runOnContext(v -> server.listen(port, host).onComplete(listened));
            return listened.future();
        }

        private List<EventExecutor> eventLoops() {
            List<EventExecutor> loops = new ArrayList<>();
            vertx.nettyEventLoopGroup().forEach(loops::add);
            return loops;
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
