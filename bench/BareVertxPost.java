import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The benchmark's yardstick: a bare Vert.x POST /orders handler on the same Vert.x and Jackson as the pipeline (run
 * from the pipeline's jar), without Camel, Kafka or PostgreSQL. It reads the JSON body, answers 200 with the order
 * plus a new id and created_at, and stores nothing. Like the pipeline's HTTP server it is one HttpServer instance,
 * so one event loop.
 *
 * <pre>java -cp target/order-pipeline.jar bench/BareVertxPost.java PORT [HOST]</pre>
 */
public class BareVertxPost {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: java -cp order-pipeline.jar bench/BareVertxPost.java PORT [HOST]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String host = args.length > 1 ? args[1] : "127.0.0.1";

        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.post("/orders").handler(BodyHandler.create().setBodyLimit(65536));
        router.post("/orders").handler(BareVertxPost::order);
        router.post("/orders/").handler(BodyHandler.create().setBodyLimit(65536));
        router.post("/orders/").handler(BareVertxPost::order);

        vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen()
                .onSuccess(server -> System.out.println("bare Vert.x POST /orders listening on http://" + host + ":"
                        + server.actualPort() + "/orders"))
                .onFailure(e -> {
                    System.err.println("bare Vert.x: cannot listen on " + host + ":" + port + ": " + e.getMessage());
                    System.exit(1);
                });
    }

    private static void order(RoutingContext ctx) {
        JsonNode in;
        try {
            in = JSON.readTree(ctx.body().buffer().getBytes());
        } catch (Exception e) {
            in = null;
        }
        if (in == null || !in.isObject()) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"body must be a JSON object\",\"status\":400}");
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("id", UUID.randomUUID().toString());
        out.set("src_currency", in.get("src_currency"));
        out.set("dst_currency", in.get("dst_currency"));
        out.set("description", in.get("description"));
        out.set("channel", in.get("channel"));
        out.put("created_at", Instant.now().toString());
        try {
            ctx.response().putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(out)));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }
}
