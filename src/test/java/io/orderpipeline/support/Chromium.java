package io.orderpipeline.support;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A headless chromium (Debian's {@code chromium}) driven over the Chrome DevTools Protocol on java.net.http's
 * WebSocket: one page, navigate, evaluate JavaScript, wait for a condition, take a screenshot.
 */
public final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process browser;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private String session;

    private Chromium(Process browser, WebSocket socket) {
        this.browser = browser;
        this.socket = socket;
    }

    /** Starts chromium headless with a page of the given size; {@code log} receives its output. */
    public static Chromium start(Path profile, Path log, int width, int height) throws Exception {
        int port = EmbeddedServices.freePort();
        Process browser;
        try {
            // --no-sandbox: chromium refuses to run as root with its sandbox, as in a build container
            browser = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                    "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=" + port,
                    "--user-data-dir=" + profile, "about:blank")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("chromium is not installed (Debian: apt-get install chromium)", e);
        }
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                String version = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/json/version")).build(), HttpResponse.BodyHandlers.ofString()).body();
                String url = JSON.readTree(version).get("webSocketDebuggerUrl").asText();
                Listener listener = new Listener();
                WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(URI.create(url), listener).get(10, TimeUnit.SECONDS);
                Chromium chromium = new Chromium(browser, socket);
                listener.owner = chromium;
                chromium.openPage(width, height);
                return chromium;
            } catch (ConnectException notYet) {
                if (System.nanoTime() > deadline || !browser.isAlive()) {
                    browser.destroyForcibly();
                    throw new IllegalStateException("chromium did not open its DevTools port; see " + log);
                }
                Thread.sleep(200);
            }
        }
    }

    private void openPage(int width, int height) throws Exception {
        String target = call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
                .get("targetId").asText();
        session = call(null, "Target.attachToTarget", JSON.createObjectNode().put("targetId", target)
                .put("flatten", true)).get("sessionId").asText();
        call(session, "Page.enable", JSON.createObjectNode());
        call(session, "Runtime.enable", JSON.createObjectNode());
        call(session, "Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width)
                .put("height", height).put("deviceScaleFactor", 1).put("mobile", false));
    }

    public void navigate(String url) throws Exception {
        call(session, "Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** The value of the expression (a promise is awaited); a JavaScript exception fails the call. */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call(session, "Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + result.get("exceptionDetails").toString());
        }
        return result.path("result").path("value");
    }

    /** Evaluates the expression until it is true. */
    public void await(String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!evaluate("!!(" + expression + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout + ": " + expression);
            }
            Thread.sleep(250);
        }
    }

    public void screenshot(Path file) throws Exception {
        JsonNode shot = call(session, "Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    private JsonNode call(String inSession, String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        if (inSession != null) {
            message.put("sessionId", inSession);
        }
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode answer = reply.get(60, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.get("result");
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        browser.destroy();
        try {
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins a message's frames (a screenshot comes in many) and completes the call its id answers. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder frames = new StringBuilder();
        private volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            frames.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(frames.toString());
                    if (message.has("id") && owner != null) {
                        CompletableFuture<JsonNode> call = owner.pending.remove(message.get("id").asInt());
                        if (call != null) {
                            call.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // an event we cannot read is not an answer we wait for
                } finally {
                    frames.setLength(0);
                }
            }
            socket.request(1);
            return null;
        }
    }
}
