package io.orderpipeline.upstream;

import java.util.function.Function;

import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationConfigEntry;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationHandlerFactory;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationProviderFactory;

/**
 * Handlers that see every request of a Camel HTTP server before its routes do. They go in as entries of the server's
 * {@code AuthenticationConfig}, which Camel puts on the server's router when it starts, before it listens and before
 * any route: the one hook platform-http-vertx offers in front of all routes. Add them before the server starts.
 * <p>
 * Gap: platform-http-vertx has no setting for router-wide handlers ({@code AuthenticationConfig} came with CAMEL-20237
 * for authentication only; {@code VertxPlatformHttpEngine} handlers run per route, after the path matched); no
 * upstream issue as of 2026-12-06. Without it: the security tests (ApiKeyAuthenticationTest: a request without a key
 * reaches the route), ConnectionCapTest and InFlightLimitTest.
 */
public final class InFrontOfRoutes {

    private InFrontOfRoutes() {
    }

    /** A handler that needs no Vert.x instance. */
    public static void add(VertxPlatformHttpServerConfiguration server, AuthenticationHandler handler) {
        add(server, vertx -> null, provider -> handler);
    }

    /**
     * @param provider made with the server's Vert.x instance when the server starts (may make null)
     * @param handler  made from what {@code provider} made
     */
    public static void add(VertxPlatformHttpServerConfiguration server, AuthenticationProviderFactory provider,
                           Function<AuthenticationProvider, AuthenticationHandler> handler) {
        AuthenticationConfigEntry entry = new AuthenticationConfigEntry();
        entry.setPath("/*");
        entry.setAuthenticationProviderFactory(provider);
        entry.setAuthenticationHandlerFactory(new AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T made) {
                return handler.apply(made);
            }
        });
        server.getAuthenticationConfig().getEntries().add(entry);
        server.getAuthenticationConfig().setEnabled(true);
    }
}
