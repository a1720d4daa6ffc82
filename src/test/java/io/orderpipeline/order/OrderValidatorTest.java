package io.orderpipeline.order;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderValidatorTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00.123456789Z"), ZoneOffset.UTC);
    private final OrderValidator validator = new OrderValidator(10, 1024, 1000, clock);

    private Order request(byte[] body) {
        return validator.fromRequest(body, null);
    }

    @Test
    void tabCrLfAndAnyPrintableTextPassButControlAndDirectionCharactersDoNot() {
        assertThat(OrderValidator.firstUnsafeCharacter("line 1\r\nline\t2 \u00e9\u4e2d\ud83d\ude00 \u200f")).isEqualTo(-1);
        for (char c : new char[] {0x01, 0x08, 0x0b, 0x1b, 0x1f, 0x7f, 0x80, 0x9f, 0x202a, 0x202e, 0x2066, 0x2069}) {
            assertThat(OrderValidator.firstUnsafeCharacter("ab" + c + "c")).as("U+%04X", (int) c).isEqualTo(2);
        }
    }

    @Test
    void anOrderCarriesTheClientItsRequestAuthenticatedAsAndARecordsClientIdIsChecked() {
        byte[] body = bytes("{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1, \"client_id\": \"forged\"}");
        assertThat(request(body).clientId()).as("anonymous; a client_id in the body is not taken").isNull();
        assertThat(validator.fromRequest(body, "shop-1").clientId()).isEqualTo("shop-1");

        String record = "{\"id\": \"0147640b-0c59-4a3a-a55e-f7b07151255a\", \"src_currency\": 1, \"dst_currency\": 2,"
                + " \"channel\": 1, \"created_at\": \"2026-11-27T10:00:00Z\", \"client_id\": ";
        assertThat(validator.fromRecord(bytes(record + "\"shop-1\"}")).clientId()).isEqualTo("shop-1");
        assertThat(validator.fromRecord(bytes(record + "null}")).clientId()).isNull();
        assertThatThrownBy(() -> validator.fromRecord(bytes(record + "\"evil\\u001b[31m\"}")))
                .isInstanceOfSatisfying(InvalidOrderException.class, e -> assertThat(e.getField()).isEqualTo("client_id"));
    }

    @Test
    void aValidRequestBecomesAnOrderWithANewIdAndTheCreationTimeInMicroseconds() {
        Order order = request(bytes(
                "{\"src_currency\": 7, \"dst_currency\": 8, \"description\": \"hi\", \"channel\": 54, \"x\": 1}"));

        assertThat(order.id()).isNotNull();
        assertThat(order.srcCurrency()).isEqualTo(7);
        assertThat(order.dstCurrency()).isEqualTo(8);
        assertThat(order.description()).isEqualTo("hi");
        assertThat(order.channel()).isEqualTo(54);
        assertThat(order.createdAt()).isEqualTo("2026-11-27T10:00:00.123456Z");
    }

    @Test
    void theDescriptionLimitCountsCharactersNotBytes() {
        Order order = request(bytes(
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"éééééééééé\"}"));
        assertThat(order.description()).hasSize(10);

        assertThatThrownBy(() -> request(bytes(
                "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": 1, \"description\": \"01234567890\"}")))
                .isInstanceOfSatisfying(InvalidOrderException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(400);
                    assertThat(e.getField()).isEqualTo("description");
                });
    }

    @Test
    void everyChannelOfTheOriginalIsAccepted() {
        for (int channel : OrderValidator.CHANNELS) {
            Order order = request(bytes(
                    "{\"src_currency\": 1, \"dst_currency\": 1, \"channel\": " + channel + "}"));
            assertThat(order.channel()).isEqualTo(channel);
        }
        assertThat(OrderValidator.CHANNELS).hasSize(22);
    }

    @Test
    void aRecordReadBackFromTheTopicKeepsItsIdAndCreationTime() {
        UUID id = UUID.randomUUID();
        Order order = validator.fromRecord(bytes("{\"id\": \"" + id + "\", \"src_currency\": 1, \"dst_currency\": 2,"
                + " \"channel\": 3, \"created_at\": \"2026-01-02T03:04:05.000006+01:00\"}"));

        assertThat(order.id()).isEqualTo(id);
        assertThat(order.createdAt()).isEqualTo("2026-01-02T02:04:05.000006Z");
        assertThat(order.description()).isEmpty();
    }

    @Test
    void aRecordWithABrokenIdOrTimestampIsRejected() {
        assertThatThrownBy(() -> validator.fromRecord(bytes("{\"id\": \"nope\", \"src_currency\": 1,"
                + " \"dst_currency\": 2, \"channel\": 3, \"created_at\": \"2026-01-02T03:04:05Z\"}")))
                .hasMessage("id must be a UUID");
        assertThatThrownBy(() -> validator.fromRecord(bytes("{\"id\": \"" + UUID.randomUUID() + "\","
                + " \"src_currency\": 1, \"dst_currency\": 2, \"channel\": 3, \"created_at\": \"yesterday\"}")))
                .hasMessageStartingWith("created_at must be an RFC 3339 date-time");
    }

    @Test
    void aRecordTimestampInUtcIsCheckedDateAndTimeAndKeptAsWritten() {
        for (String valid : List.of("2026-11-27T10:00:00Z", "2026-11-27T10:00:00.1Z", "2024-02-29T23:59:59.123456789Z")) {
            assertThat(validator.fromRecord(bytes(recordWithCreatedAt(valid))).createdAt()).isEqualTo(valid);
        }
        for (String invalid : List.of("2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-27T24:00:00Z",
                "2026-11-27T10:60:00Z", "2026-11-27T10:00:00.1234567890Z",
                "2026-11-27 10:00:00Z", "2026-11-2xT10:00:00Z", "+2026-11-27T10:00:00Z")) {
            assertThatThrownBy(() -> validator.fromRecord(bytes(recordWithCreatedAt(invalid))))
                    .as(invalid).hasMessageStartingWith("created_at must be an RFC 3339 date-time");
        }
    }

    private static String recordWithCreatedAt(String createdAt) {
        return "{\"id\": \"" + UUID.randomUUID() + "\", \"src_currency\": 1, \"dst_currency\": 2,"
                + " \"channel\": 3, \"created_at\": \"" + createdAt + "\"}";
    }

    @Test
    void aBatchIsReadWholeBeforeAnyItemIsChecked() {
        OrderValidator three = new OrderValidator(10, 1024, 3, clock);
        String order = "{\"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1, \"x\": [{\"y\": [1]}]}";

        String answer = new String(three.fromBatchRequest(bytes("[" + order + ", \"text\", 4.5]"), null).getAnswer(), StandardCharsets.UTF_8);
        assertThat(answer).contains("\"index\":0,\"status\":200", "expected a JSON object, got string",
                "expected a JSON object, got number");
        assertThat(three.fromBatchRequest(bytes("[null, [1], true]"), null).getAnswer())
                .asString(StandardCharsets.UTF_8)
                .contains("got null", "got array", "got boolean").doesNotContain("\"status\":200");

        assertThatThrownBy(() -> three.fromBatchRequest(bytes("[1, 2, 3, 4, 5]"), null))
                .isInstanceOf(InvalidOrderException.class).hasMessage("a batch holds at most 3 orders, got 5");
        // broken JSON anywhere, or more after the array, refuses the whole batch as malformed
        for (String broken : List.of("[1, 2, 3, 4, {\"a\": }]", "[" + order + "] []", "[" + order + ", {\"a\": 1, \"a\": 2}]")) {
            assertThatThrownBy(() -> three.fromBatchRequest(bytes(broken), null)).as(broken)
                    .isInstanceOf(InvalidOrderException.class).hasMessageStartingWith("malformed JSON");
        }
        for (String notAnArray : List.of("{}", "[]", " ", "\"[]\"")) {
            assertThatThrownBy(() -> three.fromBatchRequest(bytes(notAnArray), null)).as(notAnArray)
                    .isInstanceOf(InvalidOrderException.class).hasMessage("expected a JSON array of 1 to 3 orders");
        }
    }

    @Test
    void theErrorBodyIsEscapedJson() {
        InvalidOrderException e = new InvalidOrderException(400, "bad \"quote\"\n", "f");
        assertThat(Problem.of(e).json()).isEqualTo("{\"type\":\"urn:order-pipeline:problem:bad-request\","
                + "\"title\":\"The request is not valid\",\"status\":400,\"detail\":\"bad \\\"quote\\\"\\n\","
                + "\"field\":\"f\"}");
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadAndOneByteMoreIs413() {
        OrderValidator small = new OrderValidator(100, 80, 10, clock);
        String order = "{\"src_currency\": 1, \"dst_currency\": 2, \"description\": \"\", \"channel\": 1}";
        String exact = order.replace("\"\"", "\"" + "x".repeat(80 - order.length()) + "\"");
        assertThat(exact).hasSize(80);
        assertThat(small.fromRequest(bytes(exact), null).description()).hasSize(80 - order.length());
        assertThatThrownBy(() -> small.fromRequest(bytes(exact + " "), null))
                .isInstanceOf(InvalidOrderException.class).extracting("status").isEqualTo(413);
    }

    @Test
    void currencyZeroIsACurrencyAndMinusOneIsNot() {
        assertThat(request(bytes("{\"src_currency\": 0, \"dst_currency\": 0, \"channel\": 1}")).srcCurrency())
                .isZero();
        assertThatThrownBy(() -> request(bytes("{\"src_currency\": -1, \"dst_currency\": 0, \"channel\": 1}")))
                .isInstanceOf(InvalidOrderException.class).extracting("field").isEqualTo("src_currency");
    }

    @Test
    void anUnsafeCharacterIsFoundAtTheStartAndAnUnpairedSurrogateAnywhere() {
        assertThatThrownBy(() -> request(bytes("{\"src_currency\": 1, \"dst_currency\": 2, \"description\": "
                + "\"\\u001bred\", \"channel\": 1}"))).hasMessageContaining("U+001B at index 0");
        for (String text : List.of("\\ud83d", "a\\ud83dz", "\\ude00a", "a\\u0000")) {
            assertThatThrownBy(() -> request(bytes("{\"src_currency\": 1, \"dst_currency\": 2, \"description\": \""
                    + text + "\", \"channel\": 1}"))).as(text).hasMessageContaining("unpaired surrogate");
        }
        // a pair is one character (an emoji), and counts as one towards the limit of 10
        assertThat(request(bytes("{\"src_currency\": 1, \"dst_currency\": 2, \"description\": "
                + "\"\\ud83d\\ude00123456789\", \"channel\": 1}")).description()).startsWith("\ud83d\ude00");
    }

    @Test
    void onlyTheUtcFormOfATimestampWithUpToNineFractionDigitsIsARecordsCreationTime() {
        for (String valid : List.of("2026-11-27T10:00:00Z", "2026-11-27T10:00:00.1Z", "2026-11-27T10:00:00.123456789Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z")) {
            assertThat(OrderValidator.isUtcInstant(valid)).as(valid).isTrue();
        }
        for (String invalid : List.of("2026-11-27T10:00:0Z", "2026-11-27T10:00:00.Z", "2026-11-27T10:00:00.1234567890Z",
                "2026-11-27T10:00:00+00:00", "2026/11-27T10:00:00Z", "2026-11/27T10:00:00Z", "2026-11-27 10:00:00Z",
                "2026-11-27T10-00:00Z", "2026-11-27T10:00-00Z", "2026-11-27T10:00:00,1Z", "2026-1/-27T10:00:00Z",
                "2026-1:-27T10:00:00Z", "2026-11-27T10:00:00.1:Z", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                "2026-11-27T24:00:00Z")) {
            assertThat(OrderValidator.isUtcInstant(invalid)).as(invalid).isFalse();
        }
    }

    @Test
    void aLookupIdIsACanonicalUuidInEitherCase() {
        UUID id = UUID.fromString("0147640b-0c59-4a3a-a55e-f7b07151255a");
        assertThat(validator.lookupId(id.toString())).isEqualTo(id);
        assertThat(validator.lookupId(id.toString().toUpperCase())).isEqualTo(id);
        for (String notCanonical : List.of("147640b-c59-4a3a-a55e-f7b07151255a", "not-a-uuid", "")) {
            assertThatThrownBy(() -> validator.lookupId(notCanonical)).as(notCanonical)
                    .isInstanceOf(InvalidOrderException.class).extracting("field").isEqualTo("id");
        }
        assertThatThrownBy(() -> validator.lookupId(null)).isInstanceOf(InvalidOrderException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
