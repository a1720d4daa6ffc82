package io.orderpipeline.platform.startup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.orderpipeline.platform.metrics.OrderMetrics;
import io.orderpipeline.platform.security.ApiKeys;
import io.orderpipeline.platform.security.ClientAuthentication;
import io.orderpipeline.platform.security.ClientCertificates;
import io.orderpipeline.platform.security.ManagementGuard;
import io.orderpipeline.platform.security.RateLimit;
import io.orderpipeline.upstream.InFrontOfRoutes;
import io.orderpipeline.upstream.SafeDevConsoleRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.KeyStoreOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the {@code orders.http.*} and {@code orders.management.*} security settings on Camel's two HTTP servers
 * ({@code camel.server.*}, {@code camel.management.*}) before they start: client authentication and TLS on the API,
 * {@link ManagementGuard} and optionally TLS on the management server; the handlers go {@link InFrontOfRoutes}.
 * <p>
 * Secure by default: a server that listens beyond the loopback interface without authentication does not start,
 * unless {@code orders.http.allow-anonymous} (or {@code orders.management.allow-anonymous}) says so on purpose.
 */
public final class ServerSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSecurity.class);

    private final CamelContext context;
    private final PropertiesComponent props;

    private ServerSecurity(CamelContext context) {
        this.context = context;
        this.props = context.getPropertiesComponent();
    }

    /** Configures whichever of the two servers the context has; call before the context starts. */
    public static void configure(CamelContext context) throws Exception {
        // whichever server shows the developer console (management, camel run's CLI connector) shows only these
        SafeDevConsoleRegistry consoles = new SafeDevConsoleRegistry();
        consoles.setCamelContext(context);
        context.getCamelContextExtension().addContextPlugin(DevConsoleRegistry.class, consoles);
        ServerSecurity security = new ServerSecurity(context);
        security.configureApi();
        security.configureManagement();
    }

    private void configureApi() throws Exception {
        if (!bool("camel.server.enabled")) {
            return;
        }
        MainHttpServer server = required(context.hasService(MainHttpServer.class), "camel.server");
        ApiKeys apiKeys = null;
        String keysFile = optional("orders.http.api-keys-file");
        if (keysFile != null) {
            apiKeys = new ApiKeys(Path.of(keysFile), context);
            context.addService(apiKeys);
        }
        boolean jwt = optional("orders.http.jwt.jwks-file") != null || optional("orders.http.jwt.keystore") != null;
        if (apiKeys != null || jwt) {
            String claim = get("orders.http.jwt.client-id-claim");
            OrderMetrics metrics = context.getRegistry().findSingleByType(OrderMetrics.class);
            JWTAuthOptions jwtOptions = jwt ? jwtOptions() : null;
            ApiKeys keys = apiKeys;
            InFrontOfRoutes.add(server.getConfiguration(),
                    vertx -> jwtOptions == null ? null : JWTAuth.create(vertx, jwtOptions),
                    provider -> new ClientAuthentication(keys, (JWTAuth) provider, claim, failure -> {
                        if (metrics != null) {
                            metrics.authenticationFailed(failure.reason());
                        }
                    }));
            LOG.info("API clients authenticate with {}", apiKeys != null && jwt ? "API keys or JWTs"
                    : apiKeys != null ? "API keys (" + apiKeys.size() + " on file)" : "JWTs");
        }
        apiExposure(this::optional).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        long perSecond = Long.parseLong(get("orders.http.rate-limit.per-second"));
        if (perSecond > 0) {
            long burst = Long.parseLong(get("orders.http.rate-limit.burst"));
            RateLimit limit = new RateLimit(perSecond, burst > 0 ? burst : perSecond,
                    context.getRegistry().findSingleByType(OrderMetrics.class));
            // after the authentication above: the entries run in the order they were added
            InFrontOfRoutes.add(server.getConfiguration(), vertx -> {
                vertx.setPeriodic(TimeUnit.MINUTES.toMillis(1), timer -> limit.forgetIdle());
                return null;
            }, provider -> limit);
            LOG.info("API rate limit: {} requests a second per client, bursts of {}", perSecond,
                    burst > 0 ? burst : perSecond);
        }
        SSLContextParameters tls = tls();
        String clientTrustStore = optional("orders.http.tls.client-truststore");
        if (clientTrustStore != null) {
            if (tls == null) {
                throw new IllegalStateException("orders.http.tls.client-truststore (client certificates) needs HTTPS:"
                        + " set orders.http.tls.keystore (ORDERS_HTTP_TLS_KEYSTORE)");
            }
            // the TLS handshake requires a certificate this store vouches for (io.orderpipeline.platform.startup.HttpServers)
            tls.setTrustManagers(trustManagers(clientTrustStore, get("orders.http.tls.client-truststore-password")));
            if (apiKeys == null && !jwt) {
                InFrontOfRoutes.add(server.getConfiguration(), new ClientCertificates());
                LOG.info("API clients authenticate with client certificates (the subject's CN names the client)");
            }
        }
        if (tls != null) {
            server.getConfiguration().setSslContextParameters(tls);
        }
    }

    private void configureManagement() throws Exception {
        if (!bool("camel.management.enabled")) {
            return;
        }
        ManagementHttpServer server = required(context.hasService(ManagementHttpServer.class), "camel.management");
        String host = get("orders.management.host");
        int port = Integer.parseInt(get("orders.management.port"));
        if (bool("camel.server.enabled") && port == Integer.parseInt(get("orders.http.port"))) {
            throw new IllegalStateException("orders.management.port must differ from orders.http.port (" + port
                    + "): the management server keeps its own guards");
        }
        managementExposure(this::optional).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        ManagementGuard guard = new ManagementGuard(host, port, optional("orders.management.allowed-hosts"),
                optional("orders.management.allowed-origins"),
                props.resolveProperty("camel.management.jolokia-path").orElse("/observe/jolokia"));
        InFrontOfRoutes.add(server.getConfiguration(), guard);
        if (bool("orders.management.tls")) {
            SSLContextParameters tls = tls();
            if (tls == null) {
                throw new IllegalStateException("orders.management.tls=true needs the keystore of"
                        + " orders.http.tls.keystore (ORDERS_HTTP_TLS_KEYSTORE)");
            }
            server.getConfiguration().setSslContextParameters(tls);
        }
    }

    private JWTAuthOptions jwtOptions() throws Exception {
        JWTAuthOptions options = new JWTAuthOptions();
        String jwks = optional("orders.http.jwt.jwks-file");
        if (jwks != null) {
            JsonArray keys = new JsonObject(Files.readString(Path.of(jwks))).getJsonArray("keys");
            if (keys == null || keys.isEmpty()) {
                throw new IllegalArgumentException(jwks + " has no keys (expected a JWKS: {\"keys\": [...]})");
            }
            List<JsonObject> list = new ArrayList<>();
            keys.forEach(k -> list.add((JsonObject) k));
            options.setJwks(list);
        } else {
            options.setKeyStore(new KeyStoreOptions().setPath(get("orders.http.jwt.keystore"))
                    .setType(get("orders.http.jwt.keystore-type"))
                    .setPassword(get("orders.http.jwt.keystore-password")));
        }
        String issuer = optional("orders.http.jwt.issuer");
        String audience = optional("orders.http.jwt.audience");
        if (issuer == null || audience == null) {
            throw new IllegalArgumentException("JWTs need orders.http.jwt.issuer and orders.http.jwt.audience"
                    + " (ORDERS_HTTP_JWT_ISSUER, ORDERS_HTTP_JWT_AUDIENCE): a token from another issuer or for"
                    + " another service must not be accepted");
        }
        // exp is checked (and required by ClientAuthentication); nbf and iat may be this far ahead of our clock
        return options.setJWTOptions(new JWTOptions().setIssuer(issuer).setAudience(List.of(audience))
                .setLeeway(Integer.parseInt(get("orders.http.jwt.clock-skew-seconds"))));
    }

    /** The trust store of client certificates (orders.http.tls.client-truststore). */
    private static TrustManagersParameters trustManagers(String file, String password) {
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(pkcs12(file, password, "orders.http.tls.client-truststore"));
        return trust;
    }

    /** A readable PKCS12 file, or a configuration error naming {@code key}. */
    private static KeyStoreParameters pkcs12(String file, String password, String key) {
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException(file + " (" + key + ") cannot be read");
        }
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + Path.of(file).toAbsolutePath());
        store.setType("PKCS12");
        store.setPassword(password);
        return store;
    }

    /** The API's TLS settings from its PKCS12 keystore, or null for plain HTTP. */
    private SSLContextParameters tls() {
        String keystore = optional("orders.http.tls.keystore");
        if (keystore == null) {
            return null;
        }
        String password = get("orders.http.tls.keystore-password");
        KeyStoreParameters store = pkcs12(keystore, password, "orders.http.tls.keystore");
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(password);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setKeyManagers(keys);
        return tls;
    }

    /**
     * Why the API must not start as configured: it would listen beyond loopback without authentication, and
     * anonymous access was not asked for. The launcher asks too, before it starts the embedded services.
     *
     * @param settings the configured value of a key, null when it has none
     */
    public static Optional<String> apiExposure(Function<String, String> settings) {
        String host = settings.apply("orders.http.host");
        boolean authenticated = settings.apply("orders.http.api-keys-file") != null
                || settings.apply("orders.http.jwt.jwks-file") != null
                || settings.apply("orders.http.jwt.keystore") != null
                || settings.apply("orders.http.tls.client-truststore") != null;
        if (authenticated || host == null || isLoopback(host) || isTrue(settings.apply("orders.http.allow-anonymous"))) {
            return Optional.empty();
        }
        return Optional.of("the order API would listen on " + host + " without authentication: set"
                + " ORDERS_HTTP_API_KEYS_FILE (or a JWT key, ORDERS_HTTP_JWT_JWKS_FILE), or"
                + " ORDERS_HTTP_ALLOW_ANONYMOUS=true to run it open on purpose");
    }

    /** As {@link #apiExposure} for the management server and Camel's management authentication. */
    public static Optional<String> managementExposure(Function<String, String> settings) {
        String host = settings.apply("orders.management.host");
        if (host == null || isLoopback(host) || isTrue(settings.apply("camel.management.authentication-enabled"))
                || isTrue(settings.apply("orders.management.allow-anonymous"))) {
            return Optional.empty();
        }
        return Optional.of("the management server would listen on " + host + " without authentication: set"
                + " CAMEL_MANAGEMENT_AUTHENTICATION_ENABLED=true and CAMEL_MANAGEMENT_BASIC_PROPERTIES_FILE"
                + " (README: Security), or ORDERS_MANAGEMENT_ALLOW_ANONYMOUS=true to run it open on purpose");
    }

    private static boolean isTrue(String value) {
        return value != null && Boolean.parseBoolean(value.strip());
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static <T> T required(T server, String prefix) {
        if (server == null) {
            throw new IllegalStateException(prefix + ".enabled is true but there is no such server"
                    + " (camel-platform-http-main missing?)");
        }
        return server;
    }

    private String get(String key) {
        return props.resolveProperty(key).map(String::strip)
                .orElseThrow(() -> new IllegalArgumentException("missing configuration property " + key));
    }

    private String optional(String key) {
        return props.resolveProperty(key).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
    }

    private boolean bool(String key) {
        return props.resolveProperty(key).map(v -> Boolean.parseBoolean(v.strip())).orElse(false);
    }
}
