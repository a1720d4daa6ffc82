package io.orderpipeline.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 request written byte for byte on a socket, for what an HTTP client library will not send: a foreign
 * {@code Host} header (DNS rebinding), a browser's {@code Origin}; and whole requests written as given, for framing
 * that a client library would correct (conflicting or unknown transfer codings, malformed chunks).
 */
public final class RawHttp {

    public record Response(int status, String head, String body) {
        public boolean hasHeader(String name, String value) {
            return head.lines().anyMatch(l -> l.equalsIgnoreCase(name + ": " + value));
        }
    }

    private RawHttp() {
    }

    /**
     * A non-loopback IPv4 address of this machine, as a Kubernetes probe or a scrape by pod address names the pod in
     * {@code Host}.
     */
    public static String machineAddress() throws java.net.SocketException {
        return java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .map(java.net.InetAddress::getHostAddress).findFirst()
                .orElseThrow(() -> new AssertionError("this machine has no non-loopback IPv4 address to probe"));
    }

    /** @param headers extra header lines, each "Name: value" */
    public static Response send(int port, String method, String path, String host, String body, String... headers) {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        request.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String answer = read(socket.getInputStream());
            int split = answer.indexOf("\r\n\r\n");
            String head = split < 0 ? answer : answer.substring(0, split);
            String rest = split < 0 ? "" : answer.substring(split + 4);
            return new Response(Integer.parseInt(head.split(" ", 3)[1]), head, rest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a server wrote back to bytes sent as they are, and whether it closed the connection afterwards. */
    public record Exchange(String received, boolean closed) {
        /** The status of each response in what was received, in order. */
        public List<Integer> statuses() {
            List<Integer> statuses = new ArrayList<>();
            Matcher status = STATUS_LINE.matcher(received);
            while (status.find()) {
                statuses.add(Integer.parseInt(status.group(1)));
            }
            return statuses;
        }

        /** The body of the last response. */
        public String lastBody() {
            int split = received.lastIndexOf("\r\n\r\n");
            return split < 0 ? "" : received.substring(split + 4);
        }
    }

    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3})");

    /**
     * Writes {@code request} on a new connection and reads until the server closes it, or until {@code quiet} passes
     * without a byte (then {@link Exchange#closed} is false).
     */
    public static Exchange exchange(int port, String request, Duration quiet) {
        return exchange("127.0.0.1", port, request, quiet);
    }

    /** As {@link #exchange(int, String, Duration)}, from the loopback address {@code from} (127.0.0.2 ...). */
    public static Exchange exchange(String from, int port, String request, Duration quiet) {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout((int) quiet.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException quietTooLong) {
                return new Exchange(out.toString(StandardCharsets.UTF_8), false);
            } catch (SocketException reset) {
                // a close with unread request bytes is a reset: closed all the same
            }
            return new Exchange(out.toString(StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
