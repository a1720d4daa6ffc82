import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's yardstick: a bare Vert.x POST /orders handler on the same Vert.x and Jackson as the pipeline (run
 * from the pipeline's jar), without Camel, Kafka or PostgreSQL. It reads the JSON body, answers 200 with the order
 * plus a new id and created_at, and stores nothing. It runs one HttpServer per event loop, one event loop per core
 * (LOOPS overrides it): Vert.x hands each new connection to the next server, so all cores serve requests, as a
 * hand-written Vert.x service would.
 *
 * <p>Given BROKERS it is the second yardstick, run by hand (bench/README.md): before answering it publishes the order
 * with orders-api's producer settings (acks=all, idempotence, sticky partitions, the given linger and requests in
 * flight) and answers 200 only after the acknowledgement, on the request's event loop; it creates the topic with the
 * pipeline's 6 partitions when it is missing. That shows what the Kafka round trip allows before Camel adds anything.
 *
 * <pre>
 * [LOOPS=N] java -cp target/order-pipeline.jar bench/BareVertxPost.java PORT [HOST [BROKERS [TOPIC [LINGER_MS [MAX_IN_FLIGHT]]]]]
 * </pre>
 */
public class BareVertxPost {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Null without BROKERS: answer at once. */
    private static KafkaProducer<String, byte[]> producer;
    private static String topic;

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: java -cp order-pipeline.jar bench/BareVertxPost.java PORT"
                    + " [HOST [BROKERS [TOPIC [LINGER_MS [MAX_IN_FLIGHT]]]]]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        String publishing = "";
        if (args.length > 2) {
            topic = args.length > 3 ? args[3] : "orders";
            producer = producer(args[2], args.length > 4 ? args[4] : "0", args.length > 5 ? args[5] : "1");
            publishing = ", publishing to " + topic + " at " + args[2] + " before answering";
        }

        int loops = System.getenv("LOOPS") != null ? Integer.parseInt(System.getenv("LOOPS"))
                : Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        String listening = publishing + ", " + loops + " event loops";
        // one server per event loop: each verticle instance gets an event loop of its own and listens on the port
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                Router router = Router.router(vertx);
                router.post("/orders").handler(BodyHandler.create().setBodyLimit(65536));
                router.post("/orders").handler(BareVertxPost::order);
                router.post("/orders/").handler(BodyHandler.create().setBodyLimit(65536));
                router.post("/orders/").handler(BareVertxPost::order);
                vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                        .requestHandler(router).listen().<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("bare Vert.x POST /orders listening on http://" + host + ":"
                        + port + "/orders" + listening))
                .onFailure(e -> {
                    System.err.println("bare Vert.x: cannot listen on " + host + ":" + port + ": " + e.getMessage());
                    System.exit(1);
                });
    }

    private static KafkaProducer<String, byte[]> producer(String brokers, String lingerMs, String maxInFlight) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, maxInFlight);
        KafkaProducer<String, byte[]> created = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer());
        created.partitionsFor(topic); // like orders-api: never wait for metadata on the event loop
        return created;
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
        String id = UUID.randomUUID().toString();
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id);
        out.set("src_currency", in.get("src_currency"));
        out.set("dst_currency", in.get("dst_currency"));
        out.set("description", in.get("description"));
        out.set("channel", in.get("channel"));
        out.put("created_at", Instant.now().toString());
        byte[] order;
        try {
            order = JSON.writeValueAsBytes(out);
        } catch (Exception e) {
            ctx.fail(e);
            return;
        }
        if (producer == null) {
            ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(order));
            return;
        }
        Context requestContext = Vertx.currentContext();
        producer.send(new ProducerRecord<>(topic, id, order), (metadata, failure) -> requestContext.runOnContext(v -> {
            if (failure != null) {
                ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"not acknowledged by Kafka\",\"status\":503}");
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(order));
            }
        }));
    }
}
