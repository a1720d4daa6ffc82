package io.orderpipeline.platform.startup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import io.orderpipeline.platform.http.ConnectionGuard;
import io.orderpipeline.platform.metrics.OrderMetrics;
import io.orderpipeline.upstream.BoundedJolokiaPlugin;
import io.orderpipeline.upstream.HttpServerOptionsVertx;
import io.orderpipeline.upstream.InFrontOfRoutes;
import io.orderpipeline.upstream.JsonErrorPages;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * The one Vert.x instance of the API and management servers ({@code camel.server.*}, {@code camel.management.*}),
 * with what a server facing slow or abusive clients needs and Camel has no setting for
 * ({@link HttpServerOptionsVertx}): a {@link ConnectionGuard} per server ({@code orders.http.max-connections},
 * {@code max-connections-per-address}, {@code request-timeout-seconds}, {@code idle-timeout-seconds}; not Vert.x's
 * idle timeout, which would also close a connection whose order waits quietly for the broker's acknowledgement), no
 * HTTP/2 cleartext (h2c would let one connection carry many requests past the guard's per-connection timers), TLS
 * limited to {@code orders.http.tls.protocols} and {@code cipher-suites} (and a client certificate required where
 * the server's TLS has a trust store: the API's with {@code orders.http.tls.client-truststore}), and
 * {@link JsonErrorPages} on both servers; on the management server, bodies read within
 * {@code orders.management.max-body-bytes} and Jolokia within bounds ({@link BoundedJolokiaPlugin}). Request bodies
 * are buffered as their bytes arrive, never reserved up front from a declared {@code Content-Length}. The API's
 * connections are spread over {@code orders.http.event-loops} event loops (one per core by default), one server each
 * on the same port; the management server's few stay on one.
 */
public final class HttpServers {

    private HttpServers() {
    }

    /** Before the context starts; the guards go in front of each server's routes, so call before other handlers. */
    public static void install(CamelContext context, Function<String, String> settings) {
        int maxConnections = Integer.parseInt(settings.apply("orders.http.max-connections"));
        int maxPerAddress = Integer.parseInt(settings.apply("orders.http.max-connections-per-address"));
        long requestTimeoutMs = TimeUnit.SECONDS.toMillis(Long.parseLong(settings.apply("orders.http.request-timeout-seconds")));
        int idleSeconds = Integer.parseInt(settings.apply("orders.http.idle-timeout-seconds"));
        long maxBodyBytes = Long.parseLong(settings.apply("orders.http.max-body-bytes"));
        long maxBatchBytes = Long.parseLong(settings.apply("orders.http.max-batch-bytes"));
        long managementMaxBodyBytes = Long.parseLong(settings.apply("orders.management.max-body-bytes"));
        List<String> tlsProtocols = list(settings.apply("orders.http.tls.protocols"));
        List<String> tlsCipherSuites = list(settings.apply("orders.http.tls.cipher-suites"));
        int eventLoops = Integer.parseInt(settings.apply("orders.http.event-loops"));
        int apiEventLoops = eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
        OrderMetrics metrics = context.getRegistry().findSingleByType(OrderMetrics.class);
        Map<Integer, ConnectionGuard> guards = new HashMap<>();
        MainHttpServer api = context.hasService(MainHttpServer.class);
        if (api != null) {
            guard(api.getPort(), api.getConfiguration(), guards,
                    new ConnectionGuard("api", maxConnections, maxPerAddress, requestTimeoutMs,
                            TimeUnit.SECONDS.toMillis(idleSeconds)));
        }
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null) {
            guard(management.getPort(), management.getConfiguration(), guards,
                    new ConnectionGuard("management", maxConnections, maxPerAddress, requestTimeoutMs,
                            TimeUnit.SECONDS.toMillis(idleSeconds)));
            // Camel reads Jolokia's bodies without a limit: this reads them first, within one
            BodyHandler bodies = BodyHandler.create(false).setBodyLimit(managementMaxBodyBytes);
            InFrontOfRoutes.add(management.getConfiguration(), new AuthenticationHandler() {
                @Override
                public void handle(RoutingContext ctx) {
                    bodies.handle(ctx);
                }
            });
            if (management.isJolokiaEnabled()) {
                context.getRegistry().bind(JolokiaPlatformHttpPlugin.NAME, new BoundedJolokiaPlugin(
                        new BoundedJolokiaPlugin.Limits(
                                Integer.parseInt(settings.apply("orders.management.jolokia.max-depth")),
                                Integer.parseInt(settings.apply("orders.management.jolokia.max-collection-size")),
                                Integer.parseInt(settings.apply("orders.management.jolokia.max-objects")),
                                Integer.parseInt(settings.apply("orders.management.jolokia.max-bulk")),
                                Long.parseLong(settings.apply("orders.management.jolokia.max-answer-bytes")),
                                Integer.parseInt(settings.apply("orders.management.jolokia.concurrency")))));
            }
        }
        if (guards.isEmpty()) {
            return;
        }
        if (metrics != null) {
            guards.values().forEach(metrics::bind);
        }
        Vertx vertx = Vertx.vertx();
        Vertx servers = HttpServerOptionsVertx.wrap(vertx,
                (HttpServerOptions options) -> {
                    options.setHttp2ClearTextEnabled(false);
                    if (options.isSsl()) {
                        // Camel sets the key and the trust store, but neither protocols, cipher suites nor client
                        // authentication
                        options.setEnabledSecureTransportProtocols(Set.copyOf(tlsProtocols));
                        tlsCipherSuites.forEach(options::addEnabledCipherSuite);
                        // a trust store is set only on the API's TLS, and only for client certificates
                        // (io.orderpipeline.platform.startup.ServerSecurity, orders.http.tls.client-truststore)
                        if (hasTrustStore(options, vertx)) {
                            options.setClientAuth(ClientAuth.REQUIRED);
                        }
                    }
                },
                new HttpServerOptionsVertx.Listening() {
                    @Override
                    public void server(int port, HttpServer server) {
                        ConnectionGuard guard = guards.get(port);
                        if (guard != null) {
                            guard.useVertx(vertx);
                            server.connectionHandler(guard);
                        }
                        server.invalidRequestHandler(JsonErrorPages::invalidRequest);
                    }

                    @Override
                    public void requests(int port, Handler<HttpServerRequest> requests) {
                        if (requests instanceof Router router) {
                            boolean isApi = api != null && port == api.getPort();
                            // the API server reads bodies up to a batch's limit (route orders-batch); other paths
                            // have a single order's
                            ToLongFunction<String> limit = !isApi ? path -> managementMaxBodyBytes
                                    : path -> path.startsWith("/orders/batch") ? maxBatchBytes : maxBodyBytes;
                            JsonErrorPages.on(router, limit, context, !isApi);
                        }
                    }
                },
                // the API's connections spread over event loops; the management server's few stay on one
                port -> api != null && port == api.getPort() ? apiEventLoops : 1);
        context.getRegistry().bind("httpServersVertx", Vertx.class, servers);
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event.getType() == CamelEvent.Type.CamelContextStopped;
            }

            @Override
            public void notify(CamelEvent event) {
                vertx.close(); // after the servers: Camel closes only a Vert.x it created
            }
        });
    }

    private static boolean hasTrustStore(HttpServerOptions options, Vertx vertx) {
        try {
            return options.getTrustOptions() != null && options.getTrustOptions().getTrustManagerFactory(vertx) != null;
        } catch (Exception e) {
            throw new IllegalStateException("the HTTPS trust store cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<String> list(String commaSeparated) {
        return Stream.of(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void guard(int port, VertxPlatformHttpServerConfiguration server,
                              Map<Integer, ConnectionGuard> guards, ConnectionGuard guard) {
        guards.putIfAbsent(port, guard);
        InFrontOfRoutes.add(server, guard.requests());
        server.getBodyHandler().setPreallocateBodyBuffer(false);
    }
}
