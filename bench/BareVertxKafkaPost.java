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
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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
 * A second, manual yardstick (not part of bench/run): {@link BareVertxPost} plus the Kafka leg, without Camel. It
 * publishes each order with the producer settings orders-api uses (acks=all, idempotence, sticky partitions, the
 * given linger and requests in flight) and answers 200 only after the acknowledgement, on the request's event loop.
 * Creates the topic with the pipeline's 6 partitions when it is missing.
 * What it reaches against the same broker shows how much of the pipeline's latency and CPU the Kafka round trip
 * itself takes, and how much is Camel's. It stores nothing in PostgreSQL.
 *
 * <pre>
 * java -cp target/order-pipeline.jar bench/BareVertxKafkaPost.java PORT BROKERS [TOPIC] [LINGER_MS] [MAX_IN_FLIGHT]
 * </pre>
 */
public class BareVertxKafkaPost {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaProducer<String, byte[]> producer;
    private static String topic;

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: java -cp order-pipeline.jar bench/BareVertxKafkaPost.java PORT BROKERS"
                    + " [TOPIC] [LINGER_MS] [MAX_IN_FLIGHT]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        topic = args.length > 2 ? args[2] : "orders";
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, args.length > 3 ? args[3] : "0");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, args.length > 4 ? args[4] : "1");
        createTopicIfMissing(args[1], topic);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        producer.partitionsFor(topic); // like orders-api: never wait for metadata on the event loop

        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.post("/orders").handler(BodyHandler.create().setBodyLimit(65536));
        router.post("/orders").handler(BareVertxKafkaPost::order);
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(router)
                .listen()
                .onSuccess(server -> System.out.println("bare Vert.x + Kafka POST /orders listening on http://127.0.0.1:"
                        + server.actualPort() + "/orders, publishing to " + topic + " " + config))
                .onFailure(e -> {
                    System.err.println("bare Vert.x + Kafka: cannot listen on " + port + ": " + e.getMessage());
                    System.exit(1);
                });
    }

    /** The topic as the pipeline creates it (6 partitions), unless it exists. */
    private static void createTopicIfMissing(String brokers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
        }
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
