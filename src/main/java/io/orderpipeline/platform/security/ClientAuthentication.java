package io.orderpipeline.platform.security;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import io.orderpipeline.order.ClientIds;
import io.orderpipeline.platform.http.ErrorBody;
import io.orderpipeline.platform.telemetry.RateLimitedLog;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling the API: every request names its client with {@code Authorization: Bearer <token>}, where the token
 * is an API key on file ({@link ApiKeys}) or a JWT signed by a trusted key ({@link JWTAuth}: signature, issuer,
 * audience, {@code nbf} and {@code iat} checked with a small clock skew, and an {@code exp} required: a token that
 * never expires is refused). The request goes on with the client id as its Vert.x user (the routes read it from the
 * {@code CamelVertxPlatformHttpAuthenticatedUser} header); a missing or unknown token gets 401 and reaches no route.
 * The 401 says only {@code invalid_token}, never what the verifier expected; each refusal is counted by its
 * {@link Failure reason}, and logged in at most one line a minute that carries no token.
 * <p>
 * Runs on the event loop in front of every API route: the key lookup is a hash and a scan of the keys in memory, a JWT
 * is checked against keys loaded at start-up; neither waits on I/O.
 */
public final class ClientAuthentication implements AuthenticationHandler {

    private static final String BEARER = "Bearer ";
    private static final String INVALID = "the API key or token is not valid";
    private static final Logger LOG = LoggerFactory.getLogger(ClientAuthentication.class);
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, Duration.ofMinutes(1));

    /** Why a request was refused, the {@code reason} of {@code orders_authentication_failures_total}. */
    public enum Failure {
        /** no {@code Authorization: Bearer} header */
        MISSING,
        /** neither an API key on file nor a JWT */
        UNKNOWN_KEY,
        /** a JWT whose signature, issuer, audience or times do not hold */
        INVALID_TOKEN,
        /** a JWT without {@code exp}: it would be valid for ever */
        NO_EXPIRY,
        /** a JWT whose client id claim is missing or cannot name a client */
        NO_CLIENT_ID;

        public String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final ApiKeys apiKeys;
    private final JWTAuth jwt;
    private final String clientIdClaim;
    private final Consumer<Failure> failures;

    /**
     * @param apiKeys  null when there are none; @param jwt null when JWTs are not accepted
     * @param failures told of each refusal (a counter)
     */
    public ClientAuthentication(ApiKeys apiKeys, JWTAuth jwt, String clientIdClaim, Consumer<Failure> failures) {
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        this.clientIdClaim = clientIdClaim;
        this.failures = failures;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(ctx, Failure.MISSING, null, "authentication required: send Authorization: Bearer <API key or token>");
            return;
        }
        String token = authorization.substring(BEARER.length()).strip();
        Optional<String> client = apiKeys == null ? Optional.empty() : apiKeys.clientFor(token);
        if (client.isPresent()) {
            accept(ctx, client.get());
        } else if (jwt != null && looksLikeJwt(token)) {
            jwt.authenticate(new TokenCredentials(token)).onComplete(result -> {
                if (result.failed()) {
                    refuse(ctx, Failure.INVALID_TOKEN, result.cause().getMessage(), INVALID);
                    return;
                }
                User user = result.result();
                String id = user.principal().getString(clientIdClaim);
                if (!user.containsKey("exp")) {
                    refuse(ctx, Failure.NO_EXPIRY, "no exp claim", INVALID);
                } else if (!ClientIds.isUsable(id)) {
                    refuse(ctx, Failure.NO_CLIENT_ID, "the " + clientIdClaim + " claim is missing or unusable",
                            INVALID);
                } else {
                    accept(ctx, id);
                }
            });
        } else {
            refuse(ctx, Failure.UNKNOWN_KEY, null, INVALID);
        }
    }

    private static void accept(RoutingContext ctx, String clientId) {
        ctx.setUser(User.fromName(clientId));
        ctx.next();
    }

    /** @param detail for the operator's log only (the verifier's words, never the token); null for none */
    private void refuse(RoutingContext ctx, Failure failure, String detail, String message) {
        failures.accept(failure);
        REFUSALS.warn("Refused an API request from {}: {}{}", ctx.request().remoteAddress() == null ? "?"
                : ctx.request().remoteAddress().host(), failure.reason(), detail == null ? "" : " (" + detail + ")");
        ctx.response().putHeader("WWW-Authenticate", failure == Failure.MISSING ? "Bearer realm=\"orders\""
                : "Bearer realm=\"orders\", error=\"invalid_token\"");
        ErrorBody.send(ctx.response(), 401, message);
    }

    private static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The message header in which Camel's platform-http hands a route the request's authenticated user (absent:
     * anonymous); a route's bean reads the client id from it with {@link #clientId}.
     */
    public static final String USER = VertxPlatformHttpConstants.AUTHENTICATED_USER;

    /** The client id of an authenticated request's user, null for an anonymous one. */
    public static String clientId(User user) {
        if (user == null) {
            return null;
        }
        String name = user.principal().getString("username");
        return name != null ? name : user.subject();
    }
}
