package io.orderpipeline.security;

import java.util.Optional;

import io.orderpipeline.http.ErrorBody;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;

/**
 * Who is calling the API: every request names its client with {@code Authorization: Bearer <token>}, where the token
 * is an API key on file ({@link ApiKeys}) or a JWT signed by a trusted key ({@link JWTAuth}: signature, expiry, issuer
 * and audience checked). The request goes on with the client id as its Vert.x user (the routes read it from the
 * {@code CamelVertxPlatformHttpAuthenticatedUser} header); a missing or unknown token gets 401 and reaches no route.
 * <p>
 * Runs on the event loop in front of every API route: the key lookup is a hash and a scan of the keys in memory, a JWT
 * is checked against keys loaded at start-up; neither waits on I/O.
 */
public final class ClientAuthentication implements AuthenticationHandler {

    private static final String BEARER = "Bearer ";

    private final ApiKeys apiKeys;
    private final JWTAuth jwt;
    private final String clientIdClaim;

    /** @param apiKeys null when there are none; @param jwt null when JWTs are not accepted */
    public ClientAuthentication(ApiKeys apiKeys, JWTAuth jwt, String clientIdClaim) {
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        this.clientIdClaim = clientIdClaim;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(ctx, null, "authentication required: send Authorization: Bearer <API key or token>");
            return;
        }
        String token = authorization.substring(BEARER.length()).strip();
        Optional<String> client = apiKeys == null ? Optional.empty() : apiKeys.clientFor(token);
        if (client.isPresent()) {
            accept(ctx, client.get());
        } else if (jwt != null && looksLikeJwt(token)) {
            jwt.authenticate(new TokenCredentials(token)).onComplete(result -> {
                String id = result.succeeded() ? result.result().principal().getString(clientIdClaim) : null;
                if (!isUsableClientId(id)) {
                    refuse(ctx, "invalid_token", "the token is not valid: " + (result.failed()
                            ? result.cause().getMessage() : "its " + clientIdClaim + " claim is missing or unusable"));
                } else {
                    accept(ctx, id);
                }
            });
        } else {
            refuse(ctx, "invalid_token", "the API key or token is not valid");
        }
    }

    private static void accept(RoutingContext ctx, String clientId) {
        ctx.setUser(User.fromName(clientId));
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, String error, String message) {
        ctx.response().putHeader("WWW-Authenticate",
                error == null ? "Bearer realm=\"orders\"" : "Bearer realm=\"orders\", error=\"" + error + "\"");
        ErrorBody.send(ctx.response(), 401, message);
    }

    private static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /** Whether a client id can name a client in records, rows and logs: 1-255 characters, no control characters. */
    public static boolean isUsableClientId(String id) {
        return id != null && !id.isBlank() && id.length() <= 255 && id.chars().noneMatch(Character::isISOControl)
                && id.chars().noneMatch(c -> c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069);
    }

    /** The client id of an authenticated request's user, null for an anonymous one. */
    public static String clientId(User user) {
        if (user == null) {
            return null;
        }
        String name = user.principal().getString("username");
        return name != null ? name : user.subject();
    }
}
