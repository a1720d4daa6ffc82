package io.orderpipeline.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request written byte for byte on a socket, for what an HTTP client library will not send: a foreign
 * {@code Host} header (DNS rebinding), a browser's {@code Origin}.
 */
public final class RawHttp {

    public record Response(int status, String head, String body) {
        public boolean hasHeader(String name, String value) {
            return head.lines().anyMatch(l -> l.equalsIgnoreCase(name + ": " + value));
        }
    }

    private RawHttp() {
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

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
