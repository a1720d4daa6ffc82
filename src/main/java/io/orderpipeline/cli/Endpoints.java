package io.orderpipeline.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Host/port parsing and socket probes used by the launcher's checks. */
final class Endpoints {

    private static final Pattern JDBC_POSTGRES = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+).*");

    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    record PostgresUrl(String host, int port, String database) {
    }

    private Endpoints() {
    }

    /** The first address of a comma-separated bootstrap list. */
    static HostPort firstBroker(String brokers) {
        String first = brokers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Kafka address '" + first + "' has no port");
        }
        return new HostPort(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
    }

    static PostgresUrl postgres(String jdbcUrl) {
        Matcher m = JDBC_POSTGRES.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + jdbcUrl + "' is not a jdbc:postgresql://host:port/database URL");
        }
        return new PostgresUrl(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)), m.group(3));
    }

    /** A JDBC URL fit to print: the value of a password parameter replaced. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean canBind(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
