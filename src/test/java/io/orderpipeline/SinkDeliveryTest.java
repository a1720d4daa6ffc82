package io.orderpipeline;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderpipeline.platform.metrics.ConsumerLag;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static io.orderpipeline.support.TopicReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the sink does with records it finds on the topic, written there by a plain Kafka producer. */
class SinkDeliveryTest extends PipelineTestSupport {

    @Override
    protected boolean useJmx() {
        return true; // route statistics: which records were stored one by one
    }

    @Override
    protected void overrideProperties(Properties properties) {
        // as in the shipped configuration, a consumer has several partitions (here all three)
        properties.put("orders.sink.consumers", "1");
    }

    @Test
    void aRecordDeliveredTwiceMakesOneRowAndNoDeadLetter() {
        UUID id = UUID.randomUUID();
        byte[] order = orderJson(id).getBytes(StandardCharsets.UTF_8);

        kafka().send(topic(), id.toString(), order, Map.of());
        kafka().send(topic(), id.toString(), order, Map.of());
        // a later record of the same partition: once it is stored, the repeat has been handled too
        UUID marker = sendValidOrderAfter(id);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> database().isStored(marker));
        assertThat(database().isStored(id)).isTrue();
        // the repeat was stored as "already there", not refused: a sink without ON CONFLICT would dead-letter it
        assertThat(database().deadLetterReasons(id.toString())).as("dead_letters rows").isEmpty();
        assertThat(kafka().readAll(deadLetterTopic())).as("dead letters").noneMatch(r -> id.toString().equals(r.key()));
    }

    /** A valid order keyed so that Kafka's default partitioner puts it on the same partition as {@code after}. */
    private UUID sendValidOrderAfter(UUID after) {
        int partitions = Integer.parseInt(property("orders.kafka.partitions"));
        UUID id;
        do {
            id = UUID.randomUUID();
        } while (partition(id, partitions) != partition(after, partitions));
        kafka().send(topic(), id.toString(), orderJson(id).getBytes(StandardCharsets.UTF_8), Map.of());
        return id;
    }

    private static int partition(UUID key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                key.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Test
    void aRecordThatCanNeverBeStoredGoesToTheDeadLetterTopicWithTheReasonAndTheSinkCarriesOn() {
        String key = UUID.randomUUID().toString(); // as orders-api keys a record: by the order's id
        byte[] poison = "{not json".getBytes(StandardCharsets.UTF_8);
        UUID before = sendValidOrder();
        ConsumerRecord<String, byte[]> dead;
        long redelivered;
        UUID after;
        try (io.orderpipeline.support.LogCapture log = io.orderpipeline.support.LogCapture.capture()) {
            kafka().send(topic(), key, poison, Map.of());
            after = sendValidOrder();
            dead = deadLetter(r -> key.equals(r.key()), Duration.ofSeconds(30));
            // the error handler logs the first failure (attempt 0) and each redelivery (retryAttemptedLogLevel WARN)
            // (this record's: contexts of earlier test classes in this JVM may still be retrying their own work)
            List<org.apache.logging.log4j.core.LogEvent> attempts = log.events().stream()
                    .filter(e -> e.getMessage().getFormattedMessage().contains("On delivery attempt")
                            && e.getMessage().getFormattedMessage().contains("InvalidOrderException")
                            && e.getThreadName().contains(getClass().getSimpleName())).toList();
            redelivered = attempts.stream()
                    .filter(e -> !e.getMessage().getFormattedMessage().contains("On delivery attempt: 0 ")).count();
            // and waits 100, 200, 400 ms between them (orders.retry.*: exponential backoff)
            long delay = Long.parseLong(property("orders.retry.initial-delay-ms"));
            for (int i = 1; i < attempts.size(); i++) {
                assertThat(attempts.get(i).getTimeMillis() - attempts.get(i - 1).getTimeMillis())
                        .as("pause before redelivery " + i).isGreaterThanOrEqualTo(delay);
                delay *= Long.parseLong(property("orders.retry.backoff-multiplier"));
            }
        }

        assertThat(dead.value()).isEqualTo(poison);
        assertThat(header(dead, "dlt.exception.class")).isEqualTo("io.orderpipeline.order.InvalidOrderException");
        assertThat(header(dead, "dlt.reason")).isEqualTo("invalid:json");
        int headerBytes = 0;
        for (var h : dead.headers()) {
            headerBytes += h.key().length() + h.value().length;
            assertThat(new String(h.value(), StandardCharsets.UTF_8)).as(h.key()).doesNotContain("not json");
        }
        assertThat(headerBytes).as("the reason headers are bounded").isLessThanOrEqualTo(1024);
        assertThat(header(dead, "dlt.original.topic")).isEqualTo(topic());
        ConsumerRecord<String, byte[]> original = kafka().readAll(topic()).stream()
                .filter(r -> key.equals(r.key())).findFirst().orElseThrow();
        assertThat(header(dead, "dlt.original.partition")).isEqualTo(String.valueOf(original.partition()));
        assertThat(header(dead, "dlt.original.offset")).isEqualTo(String.valueOf(original.offset()));
        assertThat(redelivered).as("redeliveries made").isEqualTo(Long.parseLong(property("orders.retry.max-redeliveries")));
        assertThat(header(dead, "dlt.redeliveries")).as("the redeliveries that happened").isEqualTo(String.valueOf(redelivered));
        database().awaitStored(List.of(before, after));

        // the client asking for the order learns what became of it
        assertThat(database().deadLetterReasons(key)).containsExactly("invalid:json");
        JsonNode status = api().send("GET", "/orders/" + key, null, null).json();
        assertThat(status.get("status").asText()).isEqualTo("dead_lettered");
        assertThat(status.get("id").asText()).isEqualTo(key);
        assertThat(status.get("reason").asText()).isEqualTo("invalid:json");
        assertThat(status.get("dead_lettered_at").asText()).isNotBlank();
        assertThat(api().send("GET", "/orders/" + before, null, null).json().get("status").asText())
                .isEqualTo("stored");
    }

    @Test
    void aRecordAtTheBrokersSizeLimitIsStillDeadLetteredAndTheSinkCarriesOn() {
        // the broker's default limit is 1048588 bytes a batch; this record leaves less room than the reason headers
        String key = "large-" + UUID.randomUUID();
        byte[] large = new byte[1_048_576 - 300];
        java.util.Arrays.fill(large, (byte) 'x');
        byte[] prefix = "{\"description\": \"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefix, 0, large, 0, prefix.length);
        kafka().send(topic(), key, large, Map.of());
        UUID after = sendValidOrder();

        ConsumerRecord<String, byte[]> dead = deadLetter(r -> key.equals(r.key()), Duration.ofSeconds(60));

        assertThat(dead.value()).isEqualTo(large);
        assertThat(header(dead, "dlt.reason")).startsWith("invalid:");
        database().awaitStored(after);
    }

    @Test
    void aRecordMissingItsIdIsDeadLetteredNotStored() {
        String key = "no-id-" + UUID.randomUUID();
        String withoutId = """
                {"src_currency": 1, "dst_currency": 2, "channel": 1, "created_at": "2026-01-01T00:00:00Z"}""";
        kafka().send(topic(), key, withoutId.getBytes(StandardCharsets.UTF_8), Map.of());

        ConsumerRecord<String, byte[]> dead = deadLetter(r -> key.equals(r.key()), Duration.ofSeconds(30));
        assertThat(header(dead, "dlt.reason")).isEqualTo("invalid:id");
    }

    @Test
    void aRowThePostgresTableRefusesIsDeadLetteredAndTheRestOfItsBatchIsStored() throws Exception {
        // valid for the validator (ISO-8601), beyond PostgreSQL's timestamptz range: the batch INSERT fails
        String key = "partition-key-" + UUID.randomUUID(); // one key: one partition
        UUID before = UUID.randomUUID();
        UUID refused = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        ManagedRouteMBean oneByOne = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute("orders-sink-record");
        long storedOneByOne = oneByOne.getExchangesTotal();
        // with the sink stopped, the three records wait for one poll: one batch
        context.getRouteController().stopRoute("orders-sink");
        kafka().send(topic(), key, orderJson(before).getBytes(StandardCharsets.UTF_8), Map.of());
        kafka().send(topic(), key, orderJson(refused).replace("2026-11-27T10:15:30.123456Z", "9999-12-31T23:59:59-18:00")
                .getBytes(StandardCharsets.UTF_8), Map.of());
        kafka().send(topic(), key, orderJson(after).getBytes(StandardCharsets.UTF_8), Map.of());
        context.getRouteController().startRoute("orders-sink");

        ConsumerRecord<String, byte[]> dead = deadLetter(
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(refused.toString()), Duration.ofSeconds(30));

        // class 22: PostgreSQL's data exceptions (the timestamp text does not convert)
        assertThat(header(dead, "dlt.reason")).startsWith("database:22");
        database().awaitStored(List.of(before, after));
        assertThat(database().isStored(refused)).isFalse();
        // the dead letter is found under the order's id, not the record's key
        JsonNode status = api().send("GET", "/orders/" + refused, null, null).json();
        assertThat(status.get("status").asText()).isEqualTo("dead_lettered");
        assertThat(status.get("reason").asText()).isEqualTo(header(dead, "dlt.reason"));
        assertThat(oneByOne.getExchangesTotal() - storedOneByOne)
                .as("the refused batch was stored order by order").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aBacklogIsStoredAFewStatementsAtATimeNotOneStatementPerOrder() {
        Map<String, byte[]> records = ordersKeyedById(300);
        kafka().sendAll(topic(), records);
        List<UUID> ids = records.keySet().stream().map(UUID::fromString).toList();
        database().awaitStored(ids);

        assertThat(insertStatements(ids)).as("INSERT statements for 300 orders").isLessThanOrEqualTo(30);
    }

    @Test
    void aBatchFromSeveralPartitionsIsCommittedWithOneRequestToTheBroker() throws Exception {
        Map<String, byte[]> records = ordersKeyedById(300);
        long commitsBefore = sinkCommitRequests();
        kafka().sendAll(topic(), records); // keyed by id: spread over the topic's three partitions
        List<UUID> ids = records.keySet().stream().map(UUID::fromString).toList();
        database().awaitStored(ids);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> context.hasService(ConsumerLag.class).records() == 0);

        long batches = insertStatements(ids);
        long partitions = kafka().readAll(topic()).stream().filter(r -> records.containsKey(r.key()))
                .map(r -> r.partition()).distinct().count();
        assertThat(partitions).as("partitions the orders went to").isGreaterThan(1);
        assertThat(sinkCommitRequests() - commitsBefore).as("offset commits for %d batch INSERTs", batches)
                .isBetween(1L, batches);
    }

    /** Valid orders, each keyed by its id as orders-api keys them. */
    private static Map<String, byte[]> ordersKeyedById(int count) {
        Map<String, byte[]> records = new java.util.LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            records.put(id.toString(), orderJson(id).getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }

    /** The batch INSERTs that stored these orders. */
    private long insertStatements(List<UUID> ids) {
        // persisted_at defaults to now(), the start of the statement's transaction: one value per batch INSERT
        return ids.stream().map(id -> database().row(id).orElseThrow().get("persisted_at")).distinct().count();
    }

    /** OffsetCommit requests the sink's consumer has sent (the Kafka client's own count, over JMX). */
    private long sinkCommitRequests() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        long total = 0;
        for (ObjectName name : jmx.queryNames(
                new ObjectName("kafka.consumer:type=consumer-coordinator-metrics,client-id=*"), null)) {
            if (name.getKeyProperty("client-id").contains(property("orders.kafka.consumer-group"))) {
                total += ((Number) jmx.getAttribute(name, "commit-total")).longValue();
            }
        }
        return total;
    }

    private UUID sendValidOrder() {
        UUID id = UUID.randomUUID();
        kafka().send(topic(), id.toString(), orderJson(id).getBytes(StandardCharsets.UTF_8), Map.of());
        return id;
    }

    private static String orderJson(UUID id) {
        return """
                {"id": "%s", "src_currency": 5, "dst_currency": 6, "description": "from kafka", "channel": 11,
                 "created_at": "2026-11-27T10:15:30.123456Z"}""".formatted(id);
    }

    /** The first record of the dead-letter topic that matches, once it is there. */
    private ConsumerRecord<String, byte[]> deadLetter(Predicate<ConsumerRecord<String, byte[]>> matching,
                                                      Duration within) {
        return await().atMost(within).until(
                () -> kafka().readAll(deadLetterTopic()).stream().filter(matching).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

}
