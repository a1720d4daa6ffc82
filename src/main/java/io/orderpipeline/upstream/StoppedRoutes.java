package io.orderpipeline.upstream;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;

/**
 * The HTTP route that would take a request but is stopped (through JMX or Jolokia). Camel takes a stopped route's
 * path off the server, so its requests would fall through to whatever else matches (a POST /orders/batch to
 * GET /orders/{id}'s 405); they get 503 with Retry-After instead, as a suspended route's do.
 * <p>
 * Part of the {@link JsonErrorPages} gap. Without it: HttpContractTest (a stopped orders-batch answers 405).
 */
final class StoppedRoutes {

    private StoppedRoutes() {
    }

    /** The id of a stopped platform-http route whose path and methods take this request. */
    static Optional<String> taking(CamelContext context, String path, String method) {
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint endpoint
                    && !context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()
                    && matches(endpoint.getPath(), path)
                    && takes(endpoint.getHttpMethodRestrict(), method)) {
                return Optional.of(route.getRouteId());
            }
        }
        return Optional.empty();
    }

    private static boolean takes(String restrict, String method) {
        return restrict == null || restrict.isBlank() || Arrays.stream(restrict.split(","))
                .map(m -> m.trim().toUpperCase(Locale.ROOT)).anyMatch(method::equals);
    }

    /** Whether a request path (a trailing slash ignored) is one of a route's, {@code /orders/{id}} style. */
    static boolean matches(String uri, String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return template(uri).matcher(trimmed).matches();
    }

    private static Pattern template(String uri) {
        String[] parts = uri.split("\\{[^/}]+}", -1);
        StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            regex.append("[^/]+").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
