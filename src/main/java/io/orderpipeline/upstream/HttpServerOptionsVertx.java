package io.orderpipeline.upstream;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;

/**
 * The Vert.x instance Camel's HTTP servers find in the registry, with a say over the servers they create.
 * <p>
 * Gap: camel-platform-http-vertx 4.18 ({@code VertxPlatformHttpServer.startServer}) builds its
 * {@code HttpServerOptions} itself and offers no setting for idle timeouts, HTTP/2 cleartext, client certificates or
 * a connection handler; it does take its Vert.x from the registry when there is one. This Vert.x delegates every call
 * to a real one, except that {@code createHttpServer} first passes the options Camel built (TLS already set) to
 * {@code options}, and a server's {@code listen} first passes the server, its port and its request handler (Camel's
 * router, whose error pages no setting reaches either) to {@code listening}, where what must be set before the
 * server listens goes. Goes once Camel exposes the server options (or a customizer); no upstream issue as of
 * 2026-12-06, and Camel 4.24's move to Vert.x 5 (CAMEL-23647) will change the interface this delegates. Without it:
 * ConnectionCapTest, RequestFramingTest and ApiTlsTest.
 */
public final class HttpServerOptionsVertx {

    private HttpServerOptionsVertx() {
    }

    /** What to do with a server about to listen. */
    @FunctionalInterface
    public interface Listening {
        void accept(int port, HttpServer server, Handler<HttpServerRequest> requests);
    }

    public static Vertx wrap(Vertx vertx, Consumer<HttpServerOptions> options, Listening listening) {
        InvocationHandler calls = (proxy, method, args) -> {
            if (method.getName().equals("createHttpServer")) {
                HttpServerOptions given = args != null && args.length == 1 ? (HttpServerOptions) args[0]
                        : new HttpServerOptions();
                options.accept(given);
                HttpServer server = vertx.createHttpServer(given);
                return server(server, given.getPort(), listening);
            }
            return invoke(vertx, method, args);
        };
        return (Vertx) Proxy.newProxyInstance(HttpServerOptionsVertx.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class}, calls);
    }

    /** The server as a proxy that stays the receiver of its fluent calls, so that its {@code listen} is seen. */
    @SuppressWarnings("unchecked")
    private static HttpServer server(HttpServer server, int configuredPort, Listening listening) {
        HttpServer[] self = new HttpServer[1];
        Handler<HttpServerRequest>[] requests = new Handler[1];
        InvocationHandler calls = (proxy, method, args) -> {
            if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
                requests[0] = (Handler<HttpServerRequest>) args[0];
            } else if (method.getName().equals("listen")) {
                int port = configuredPort;
                if (args != null && args.length > 0 && args[0] instanceof Integer) {
                    port = (Integer) args[0];
                } else if (args != null && args.length > 0 && args[0] instanceof SocketAddress) {
                    port = ((SocketAddress) args[0]).port();
                }
                listening.accept(port, server, requests[0]);
            }
            Object result = invoke(server, method, args);
            return result == server ? self[0] : result;
        };
        self[0] = (HttpServer) Proxy.newProxyInstance(HttpServerOptionsVertx.class.getClassLoader(),
                new Class<?>[] {HttpServer.class}, calls);
        return self[0];
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
