package io.orderpipeline.upstream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

import io.orderpipeline.platform.http.ErrorBody;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.Utils;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceSupport;
import org.jolokia.core.api.LogHandler;
import org.jolokia.json.JSONArray;
import org.jolokia.json.JSONObject;
import org.jolokia.json.JSONStructure;
import org.jolokia.json.parser.JSONParser;
import org.jolokia.json.parser.ParseException;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.request.BadRequestException;
import org.jolokia.server.core.restrictor.DenyAllRestrictor;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jolokia on the management server, within bounds no request can push past: Jolokia's own serialization limits
 * ({@code maxDepth}, {@code maxCollectionSize}, {@code maxObjects}, hard limits a request's parameters cannot raise),
 * at most {@code maxBulk} requests in one POST, run one after another with each answer written out before the next
 * runs, an answer of at most {@code maxAnswerBytes} (more: 413, the rest not run), at most {@code concurrency} requests
 * worked on at once (more: 503 with Retry-After). An empty or unreadable body is a 400. What may be read or run at all
 * is the access policy's, {@code classpath:/jolokia-access.xml}; without it nothing is allowed.
 * <p>
 * Gap: camel-platform-http-jolokia 4.18 ({@code DefaultJolokiaPlatformHttpPlugin}) configures Jolokia with its agent
 * id alone (its limits are reachable only as JVM-wide {@code jolokia.*} system properties), runs a bulk request whole
 * and holds every answer in memory at once (twenty {@code list} requests in one 400-byte POST exhaust the heap), and
 * answers an empty body 500. Camel takes a plugin bound under the plugin's id in the registry before its own
 * ({@code PlatformHttpPluginRegistry.resolvePluginById}); this one is bound as {@value JolokiaPlatformHttpPlugin#NAME}.
 * Goes once Camel's plugin takes Jolokia's configuration and bounds what it answers; no upstream issue as of
 * 2026-12-06 (CAMEL-24554 hardens the Spring Boot starter's Jolokia only). Without it: JolokiaBoundsTest.
 */
public final class BoundedJolokiaPlugin extends ServiceSupport implements JolokiaPlatformHttpPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedJolokiaPlugin.class);
    private static final String POLICY = "classpath:/jolokia-access.xml";

    /** What bounds one answer and the work on all of them. */
    public record Limits(int maxDepth, int maxCollectionSize, int maxObjects, int maxBulk, long maxAnswerBytes,
                         int concurrency) {
    }

    private final Limits limits;
    private final Semaphore working;
    private CamelContext camelContext;
    private JolokiaServiceManager services;
    private HttpRequestHandler jolokia;

    public BoundedJolokiaPlugin(Limits limits) {
        this.limits = limits;
        this.working = new Semaphore(limits.concurrency());
    }

    @Override
    protected void doStart() throws Exception {
        StaticConfiguration configuration = new StaticConfiguration(
                ConfigKey.AGENT_ID, "order-pipeline-" + Integer.toHexString(hashCode()),
                ConfigKey.MAX_DEPTH, String.valueOf(limits.maxDepth()),
                ConfigKey.MAX_COLLECTION_SIZE, String.valueOf(limits.maxCollectionSize()),
                ConfigKey.MAX_OBJECTS, String.valueOf(limits.maxObjects()),
                ConfigKey.INCLUDE_STACKTRACE, "false",
                ConfigKey.SERIALIZE_EXCEPTION, "false");
        services = JolokiaServiceManagerFactory.createJolokiaServiceManager(configuration, new Log(), policy());
        services.addService(new JolokiaSerializer());
        services.addService(new LocalRequestHandler(1));
        jolokia = new HttpRequestHandler(services.start());
    }

    private static Restrictor policy() throws IOException {
        Restrictor policy = RestrictorFactory.lookupPolicyRestrictor(POLICY);
        if (policy == null) {
            LOG.warn("No Jolokia access policy at {}: Jolokia allows nothing", POLICY);
            return new DenyAllRestrictor();
        }
        return policy;
    }

    @Override
    protected void doStop() {
        if (services != null) {
            services.stop();
        }
    }

    /** Camel runs it on a worker thread (the management server's blocking handler). */
    @Override
    public Object getHandler() {
        return (Handler<RoutingContext>) ctx -> {
            if (!working.tryAcquire()) {
                ErrorBody.retryLater(ctx.response(), 503, 1, "Jolokia is answering other requests; try again");
                return;
            }
            try {
                answer(ctx);
            } finally {
                working.release();
            }
        };
    }

    private void answer(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        try {
            String host = request.remoteAddress() == null ? null : request.remoteAddress().host();
            jolokia.checkAccess(request.scheme(), host, host, request.getHeader("Origin"));
            Answer answer = new Answer(limits.maxAnswerBytes());
            if (request.method() == HttpMethod.GET) {
                answer.write(jolokia.handleGetRequest(request.uri(), Utils.pathOffset(request.path(), ctx),
                        parameters(request)));
            } else {
                post(request, ctx.body().buffer(), answer);
            }
            ctx.response().putHeader("Content-Type", "application/json").end(answer.bytes());
        } catch (SecurityException e) {
            ErrorBody.send(ctx.response(), 403, "Jolokia's access policy refuses this client");
        } catch (BadRequestException e) {
            ErrorBody.send(ctx.response(), 400, "not a Jolokia request: " + e.getMessage());
        } catch (AnswerTooLarge e) {
            ErrorBody.send(ctx.response(), 413, "the answer would exceed " + limits.maxAnswerBytes()
                    + " bytes; ask for less (a path, maxDepth) or in several requests");
        } catch (Exception e) {
            LOG.warn("Jolokia request failed: {}", e.toString());
            ErrorBody.send(ctx.response(), 500, "internal error");
        }
    }

    /** A JSON object is one request, an array up to {@code maxBulk} of them, each answered before the next runs. */
    private void post(HttpServerRequest request, Buffer body, Answer answer) throws Exception {
        String text = body == null ? "" : body.toString(StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = text.isBlank() ? null : new JSONParser().parse(text);
        } catch (ParseException | IOException | IllegalStateException e) {
            throw new BadRequestException("the body is not JSON");
        }
        Map<String, String[]> parameters = parameters(request);
        if (parsed instanceof JSONObject) {
            answer.write(jolokia.handlePostRequest(request.uri(), utf8(text), "UTF-8", parameters));
        } else if (parsed instanceof JSONArray bulk) {
            if (bulk.size() > limits.maxBulk()) {
                throw new BadRequestException("at most " + limits.maxBulk() + " requests in one POST, not "
                        + bulk.size());
            }
            answer.append("[");
            for (int i = 0; i < bulk.size(); i++) {
                if (i > 0) {
                    answer.append(",");
                }
                Object item = bulk.get(i);
                String one = item instanceof JSONStructure structure ? structure.toJSONString() : "null";
                answer.write(jolokia.handlePostRequest(request.uri(), utf8(one), "UTF-8", parameters));
            }
            answer.append("]");
        } else {
            throw new BadRequestException("the body must be a JSON object or an array of them");
        }
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String[]> parameters(HttpServerRequest request) {
        Map<String, String[]> parameters = new HashMap<>();
        for (String name : request.params().names()) {
            parameters.put(name, request.params().getAll(name).toArray(new String[0]));
        }
        return parameters;
    }

    /**
     * The answer's UTF-8 bytes, written straight into the buffer the response sends (no string of it is made), and
     * refusing to grow past its bound while a structure is written into it.
     */
    private static final class Answer extends Writer {
        private final long max;
        private final Buffer bytes = Buffer.buffer(8192);

        Answer(long max) {
            this.max = max;
        }

        void write(JSONStructure structure) throws IOException {
            structure.writeJSONString(this);
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            bytes.appendString(new String(chars, offset, length));
            if (bytes.length() > max) {
                throw new AnswerTooLarge();
            }
        }

        @Override
        public void write(String text, int offset, int length) {
            bytes.appendString(offset == 0 && length == text.length() ? text : text.substring(offset, offset + length));
            if (bytes.length() > max) {
                throw new AnswerTooLarge();
            }
        }

        Buffer bytes() {
            return bytes;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static final class AnswerTooLarge extends RuntimeException {
        AnswerTooLarge() {
            super(null, null, false, false);
        }
    }

    /** Jolokia's log lines, without stack traces. */
    private static final class Log implements LogHandler {
        @Override
        public void debug(String message) {
            LOG.debug(message);
        }

        @Override
        public void info(String message) {
            LOG.debug(message);
        }

        @Override
        public void error(String message, Throwable t) {
            LOG.warn("{}: {}", message, t == null ? "" : t.toString());
        }

        @Override
        public boolean isDebug() {
            return LOG.isDebugEnabled();
        }
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
