package io.orderpipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.orderpipeline.order.InvalidOrderException;
import io.orderpipeline.order.Order;
import io.orderpipeline.order.OrderValidator;
import io.orderpipeline.order.RecordHeaders;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.OrdersClient.Answer;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import static io.orderpipeline.support.TopicReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The record contract (order-record.schema.json, JSON Schema 2020-12) and the Java that writes and reads records
 * agree: a corpus of record values gets the same verdict from the sink's validator and from networknt's JSON Schema
 * validator; whatever the door accepts becomes a record the schema takes; the pipeline's real records say their
 * contract version and follow it, and a real dead letter's headers follow {@code $defs/deadLetterHeaders}.
 */
class RecordContractTest extends PipelineTestSupport {

    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchema RECORD = SCHEMAS.getSchema(
            SchemaLocation.of("classpath:order-record.schema.json"), CONFIG);
    private static final JsonSchema DEAD_LETTER_HEADERS = SCHEMAS.getSchema(
            SchemaLocation.of("classpath:order-record.schema.json#/$defs/deadLetterHeaders"), CONFIG);
    /** JSON as the sink reads it: a duplicate member is not JSON the contract speaks of. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final OrderValidator VALIDATOR = new OrderValidator(1024, 65_536);

    private static final String ID = "0147640b-0c59-4a3a-a55e-f7b07151255a";

    /** A record value with one member replaced ({@code null}: left out); the value is JSON text. */
    private static String record(String member, String json) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("id", "\"" + ID + "\"");
        members.put("src_currency", "840");
        members.put("dst_currency", "978");
        members.put("description", "\"a gift\"");
        members.put("channel", "21");
        members.put("created_at", "\"2026-11-27T10:15:30.123456Z\"");
        if (json == null) {
            members.remove(member);
        } else {
            members.put(member, json);
        }
        StringBuilder text = new StringBuilder("{");
        members.forEach((name, value) -> text.append(text.length() > 1 ? ", " : "").append('"').append(name)
                .append("\": ").append(value));
        return text.append('}').toString();
    }

    /** The corpus: each value, and whether the contract takes it. */
    private static Map<String, Boolean> corpus() {
        Map<String, Boolean> corpus = new LinkedHashMap<>();
        corpus.put(record("id", "\"" + ID + "\""), true);
        corpus.put(record("id", "\"" + ID.toUpperCase() + "\""), true);
        corpus.put(record("description", null), true);
        corpus.put(record("description", "null"), true);
        corpus.put(record("description", "\"\""), true);
        corpus.put(record("description", "\"tab\\tline\\r\\nend\""), true);
        corpus.put(record("description", "\"" + "\\ud83d\\ude42".repeat(1024) + "\""), true);
        corpus.put(record("description", "\"" + "x".repeat(1024) + "\""), true);
        corpus.put(record("client_id", "\"shop-7\""), true);
        corpus.put(record("client_id", "null"), true);
        corpus.put(record("client_id", "\"" + "\\ud83d\\ude42".repeat(255) + "\""), true);
        corpus.put(record("created_at", "\"2026-11-27T10:15:30Z\""), true);
        corpus.put(record("created_at", "\"2026-11-27T11:15:30.5+01:00\""), true);
        corpus.put(record("created_at", "\"9999-12-31T23:59:59-18:00\""), true);
        corpus.put(record("src_currency", "0"), true);
        corpus.put(record("src_currency", "9223372036854775807"), true);
        corpus.put(record("channel", "0"), true);
        corpus.put(record("extra", "{\"any\": [1, 2]}"), true);

        corpus.put(record("id", null), false);
        corpus.put(record("id", "\"1-2-3-4-5\""), false);
        corpus.put(record("id", "\"" + ID.replace("-", "") + "\""), false);
        corpus.put(record("id", "42"), false);
        corpus.put(record("src_currency", null), false);
        corpus.put(record("src_currency", "-1"), false);
        corpus.put(record("src_currency", "1.5"), false);
        corpus.put(record("src_currency", "\"840\""), false);
        corpus.put(record("src_currency", "9223372036854775808"), false);
        corpus.put(record("dst_currency", "null"), false);
        corpus.put(record("channel", null), false);
        corpus.put(record("channel", "7"), false);
        corpus.put(record("channel", "\"21\""), false);
        corpus.put(record("description", "\"" + "x".repeat(1025) + "\""), false);
        corpus.put(record("description", "\"nul \\u0000 inside\""), false);
        corpus.put(record("description", "\"escape \\u001b[31m red\""), false);
        corpus.put(record("description", "\"C1 \\u0085 control\""), false);
        corpus.put(record("description", "\"right-to-left \\u202e override\""), false);
        corpus.put(record("description", "\"isolate \\u2066 start\""), false);
        corpus.put(record("description", "\"unpaired \\ud800 surrogate\""), false);
        corpus.put(record("description", "5"), false);
        corpus.put(record("created_at", null), false);
        corpus.put(record("created_at", "\"2026-02-30T10:00:00Z\""), false);
        corpus.put(record("created_at", "\"2026-11-27T24:00:00Z\""), false);
        corpus.put(record("created_at", "\"2026-11-27T10:15Z\""), false);
        corpus.put(record("created_at", "\"2026-11-27T10:15:30-23:59\""), false);
        corpus.put(record("created_at", "\"2026-11-27T10:15:30+01:60\""), false);
        corpus.put(record("created_at", "\"2026-11-27 10:15:30Z\""), false);
        corpus.put(record("created_at", "\"2026-11-27T10:15:30\""), false);
        corpus.put(record("created_at", "\"yesterday\""), false);
        corpus.put(record("created_at", "1764238530"), false);
        corpus.put(record("client_id", "\"\""), false);
        corpus.put(record("client_id", "\"   \""), false);
        corpus.put(record("client_id", "\"" + "c".repeat(256) + "\""), false);
        corpus.put(record("client_id", "\"line\\nbreak\""), false);
        corpus.put(record("client_id", "\"\\u202eevil\""), false);
        corpus.put(record("client_id", "7"), false);
        corpus.put("[]", false);
        corpus.put("\"an order\"", false);
        corpus.put("{}", false);
        return corpus;
    }

    @Test
    void theSinksValidatorAndTheSchemaGiveEveryRecordOfTheCorpusTheSameVerdict() throws Exception {
        List<String> disagreements = new ArrayList<>();
        Map<String, Boolean> corpus = corpus();
        for (Map.Entry<String, Boolean> entry : corpus.entrySet()) {
            String value = entry.getKey();
            boolean bySink = sinkTakes(value);
            Set<ValidationMessage> bySchema = RECORD.validate(JSON.readTree(value));
            if (bySink != entry.getValue() || bySchema.isEmpty() != entry.getValue()) {
                disagreements.add((entry.getValue() ? "valid" : "invalid") + " " + abbreviate(value) + ": sink "
                        + (bySink ? "takes" : "refuses") + ", schema " + (bySchema.isEmpty() ? "takes" : bySchema));
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(corpus.values()).contains(true, false);
    }

    @Test
    void whatTheDoorAcceptsIsARecordTheSchemaTakes() throws Exception {
        ObjectMapper plain = new ObjectMapper();
        List<String> requests = List.of(Orders.json("door"),
                "{\"src_currency\": 0, \"dst_currency\": 9223372036854775807, \"channel\": 61}",
                "{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1, \"description\": null}",
                "{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1, \"description\": \"\\ud83d\\ude42 ok\","
                        + " \"unknown\": true}");
        for (String request : requests) {
            Order order = VALIDATOR.fromRequest(request.getBytes(StandardCharsets.UTF_8), "shop-1");
            JsonNode record = plain.readTree(plain.writeValueAsBytes(order));
            assertThat(RECORD.validate(record)).as(request).isEmpty();
            assertThat(VALIDATOR.fromRecord(plain.writeValueAsBytes(order))).as("and the sink reads it back")
                    .isEqualTo(order);
        }
    }

    @Test
    void thePipelinesRecordsSayTheirContractAndFollowIt() throws Exception {
        String version = RECORD.getSchemaNode().get("$id").asText().replaceAll(".*:", "");
        Answer single = api().post(Orders.json("contract"));
        Answer batch = api().send("POST", "/orders/batch", "application/json",
                ("[" + Orders.json("contract-batch") + "]").getBytes(StandardCharsets.UTF_8));
        assertThat(single.status()).isEqualTo(200);
        assertThat(batch.status()).isEqualTo(200);
        List<String> keys = List.of(single.json().get("id").asText(),
                batch.json().get("results").get(0).get("id").asText());
        for (String key : keys) {
            ConsumerRecord<String, byte[]> published = kafka().readAll(topic()).stream()
                    .filter(r -> key.equals(r.key())).findFirst().orElseThrow();
            assertThat(header(published, RecordHeaders.CONTRACT_VERSION)).as(key).isEqualTo(version);
            assertThat(RECORD.validate(JSON.readTree(published.value()))).as(key).isEmpty();
        }
    }

    @Test
    void aRealDeadLettersHeadersFollowTheContract() {
        String key = UUID.randomUUID().toString();
        kafka().send(topic(), key, record("channel", "7").replace(ID, key).getBytes(StandardCharsets.UTF_8),
                Map.of(RecordHeaders.CONTRACT_VERSION, "1", RecordHeaders.CLIENT_ID, "shop-9"));
        ConsumerRecord<String, byte[]> deadLetter = await().atMost(Duration.ofSeconds(30)).until(
                () -> kafka().readAll(deadLetterTopic()).stream().filter(r -> key.equals(r.key())).findFirst(),
                java.util.Optional::isPresent).orElseThrow();

        ObjectNode headers = JSON.createObjectNode();
        for (Header header : deadLetter.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        assertThat(DEAD_LETTER_HEADERS.validate(headers)).as(headers.toString()).isEmpty();
        assertThat(headers.get("dlt.reason").asText()).isEqualTo("invalid:channel");
        assertThat(headers.get(RecordHeaders.CLIENT_ID).asText()).as("the record's own headers travel along")
                .isEqualTo("shop-9");
        // the schema can refuse: a reason that quotes content, an offset that is not a number
        headers.put("dlt.reason", "invalid: channel 7 of {\"id\": ...}").put("dlt.original.offset", "x");
        assertThat(DEAD_LETTER_HEADERS.validate(headers)).hasSize(2);
    }

    private static boolean sinkTakes(String value) {
        try {
            VALIDATOR.fromRecord(value.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (InvalidOrderException refused) {
            return false;
        }
    }


    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 157) + "...";
    }
}
