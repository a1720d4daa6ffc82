package io.orderpipeline.platform.security;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.orderpipeline.platform.http.ErrorBody;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;

/**
 * Keeps web pages away from the management server. Runs in front of every management endpoint (Camel's
 * {@code AuthenticationConfig} is the hook for handlers there) and refuses, before Jolokia or a console sees it:
 * <ul>
 * <li>two {@code Host} headers, or an absolute-form target naming another host than {@code Host} (400);</li>
 * <li>a {@code Host} that is not a loopback name, the configured management host, an allowed host or an address of
 * this machine written as an IP literal (403): a page on a rebound DNS name reaches 127.0.0.1 but names its own host,
 * while a browser that names an IP literal connects to that very address, so it cannot be rebound. The literal is what
 * a Kubernetes probe and a Prometheus scrape by pod address send;</li>
 * <li>an {@code Origin} other than the server's own or an allowed one (403): browsers send it with every cross-site
 * POST, including the {@code text/plain} ones that need no preflight;</li>
 * <li>a Jolokia request other than read, list, search and version by GET (405): an {@code <img>} tag sends GETs
 * without an Origin, so operations are taken by POST only.</li>
 * </ul>
 * Which MBeans may be read or invoked at all is Jolokia's access policy ({@code jolokia-access.xml}).
 */
public final class ManagementGuard implements AuthenticationHandler {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final Set<String> JOLOKIA_GET_COMMANDS = Set.of("", "read", "list", "search", "version");

    private static final Pattern IP_LITERAL =
            Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-f.]*:[0-9a-f:.]*(%[\\w.-]+)?");

    private final Set<String> hosts;
    private final Set<InetAddress> ownAddresses = ownAddresses();
    private final Set<String> origins;
    private final String jolokiaPath;

    /**
     * @param host         the management server's host (its bind address)
     * @param port         its port
     * @param extraHosts   comma-separated further names a client may use to reach it
     * @param extraOrigins comma-separated further origins (scheme://host:port) of pages allowed to call it
     * @param jolokiaPath  where Jolokia is served, e.g. /observe/jolokia
     */
    public ManagementGuard(String host, int port, String extraHosts, String extraOrigins, String jolokiaPath) {
        this.hosts = Stream.concat(Stream.concat(LOOPBACK_NAMES.stream(), Stream.of(host)), split(extraHosts))
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.origins = Stream.concat(
                hosts.stream().flatMap(h -> Stream.of("http://", "https://").map(s -> s + bracketed(h) + ":" + port)),
                split(extraOrigins)).map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.jolokiaPath = jolokiaPath.endsWith("/") ? jolokiaPath : jolokiaPath + "/";
    }

    @Override
    public void handle(RoutingContext ctx) {
        String ambiguous = ambiguousHost(ctx);
        if (ambiguous != null) {
            ErrorBody.send(ctx.response(), 400, ambiguous);
            return;
        }
        String host = ctx.request().getHeader("Host");
        if (host != null && !hosts.contains(hostName(host)) && !isOwnAddress(hostName(host))) {
            ErrorBody.send(ctx.response(), 403, "host '" + printable(host) + "' is not allowed;"
                    + " add it to orders.management.allowed-hosts");
            return;
        }
        String origin = ctx.request().getHeader("Origin");
        if (origin != null && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            ErrorBody.send(ctx.response(), 403, "origin '" + printable(origin) + "' is not allowed;"
                    + " add it to orders.management.allowed-origins");
            return;
        }
        if ("GET".equals(ctx.request().method().name()) && !isJolokiaGetAllowed(ctx)) {
            ctx.response().putHeader("Allow", "POST");
            ErrorBody.send(ctx.response(), 405, "Jolokia operations are taken by POST only");
            return;
        }
        ctx.next();
    }

    /**
     * Why the request names its host ambiguously (two Host headers, or an absolute-form target whose authority is
     * not the Host header: one could pass the check and the other be used), or null.
     */
    private static String ambiguousHost(RoutingContext ctx) {
        if (ctx.request().headers().getAll("Host").size() > 1) {
            return "more than one Host header";
        }
        String target = ctx.request().uri();
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            int start = target.indexOf("//") + 2;
            int end = start;
            while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
                end++;
            }
            String authority = target.substring(start, end);
            String host = ctx.request().getHeader("Host");
            if (host == null || !authority.equalsIgnoreCase(host.trim())) {
                return "the request target's authority is not its Host header";
            }
        }
        return null;
    }

    private boolean isJolokiaGetAllowed(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!(path + "/").startsWith(jolokiaPath)) {
            return true;
        }
        // the command is the first path segment, or of the p parameter (Jolokia's path-in-query form)
        String rest = path.length() >= jolokiaPath.length() ? path.substring(jolokiaPath.length()) : "";
        String p = ctx.queryParams().get("p");
        return JOLOKIA_GET_COMMANDS.contains(command(rest)) && (p == null || JOLOKIA_GET_COMMANDS.contains(command(p)));
    }

    private static String command(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return (slash < 0 ? trimmed : trimmed.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    /** Whether a Host name is an IP literal (never a DNS name: nothing is resolved) of one of this machine's interfaces. */
    private boolean isOwnAddress(String name) {
        if (!IP_LITERAL.matcher(name).matches()) {
            return false;
        }
        try {
            // a literal is parsed, not looked up; a zone index (fe80::1%eth0) is ignored by InetAddress.equals
            return ownAddresses.contains(InetAddress.getByName(name));
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static Set<InetAddress> ownAddresses() {
        try {
            return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .collect(Collectors.toUnmodifiableSet());
        } catch (SocketException e) {
            return Collections.emptySet();
        }
    }

    /** The name part of a Host header: {@code [::1]:9876 -> ::1}, {@code localhost:9876 -> localhost}. */
    static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static Stream<String> split(String list) {
        return list == null ? Stream.empty()
                : Stream.of(list.split(",")).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Header text fit for an error message: printable ASCII only, at most 100 characters. */
    private static String printable(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
