package io.orderpipeline.order;

import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Decides what may enter the pipeline. {@link #fromRequest} checks an HTTP request and stamps a new order with an id
 * and creation time; {@link #fromRecord} checks a record read back from the topic with the same rules, so whatever the
 * door accepts the sink can store, and whatever the sink cannot store is recognised as permanent (dead letter).
 */
public class OrderValidator {

    /** Channels of the Go original's domain model. */
    public static final Set<Integer> CHANNELS = Set.of(
            0, 1, 2, 3, 4, 11, 12, 13, 14, 21, 23, 31, 32, 33, 34, 41, 42, 51, 52, 53, 54, 61);

    private static final int MAX_NESTING_DEPTH = 16;

    private final int maxDescriptionLength;
    private final int maxBodyBytes;
    private final int maxBatch;
    private final Clock clock;
    private final ObjectMapper json;

    public OrderValidator(int maxDescriptionLength, int maxBodyBytes) {
        this(maxDescriptionLength, maxBodyBytes, 1000, Clock.systemUTC());
    }

    public OrderValidator(int maxDescriptionLength, int maxBodyBytes, int maxBatch) {
        this(maxDescriptionLength, maxBodyBytes, maxBatch, Clock.systemUTC());
    }

    public OrderValidator(int maxDescriptionLength, int maxBodyBytes, int maxBatch, Clock clock) {
        this.maxDescriptionLength = maxDescriptionLength;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatch = maxBatch;
        this.clock = clock;
        this.json = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(maxBodyBytes)
                .maxNumberLength(32)
                .build());
    }

    /** The order id of {@code GET /orders/{id}}: 400 when it is not a UUID. */
    public UUID lookupId(String id) {
        try {
            UUID uuid = UUID.fromString(id);
            if (uuid.toString().equalsIgnoreCase(id)) {
                return uuid;
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            // fall through
        }
        throw new InvalidOrderException(400, "order id must be a UUID like 0147640b-0c59-4a3a-a55e-f7b07151255a",
                "id");
    }

    /**
     * Validates the JSON body of a {@code POST /orders} request and returns the new order it describes, from the client
     * the request authenticated as (none: anonymous).
     */
    public Order fromRequest(byte[] body, String clientId) {
        if (body == null || body.length == 0) {
            throw new InvalidOrderException(400, "request body is empty; expected a JSON object");
        }
        if (body.length > maxBodyBytes) {
            throw new InvalidOrderException(413, "request body is too large; the limit is " + maxBodyBytes + " bytes");
        }
        return newOrder(parse(body), clientId);
    }

    /**
     * Validates the JSON array of a {@code POST /orders/batch} request, each element as {@link #fromRequest} checks
     * one order: the batch as a whole is refused (400, 413) only when it is not a JSON array of 1 to
     * {@code orders.http.max-batch} elements; an element that is not a valid order is refused on its own.
     */
    public OrderBatchRequest fromBatchRequest(byte[] body, String clientId) {
        if (body == null || body.length == 0) {
            throw new InvalidOrderException(400, "request body is empty; expected a JSON array of orders");
        }
        JsonNode root = readJson(body);
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new InvalidOrderException(400, "expected a JSON array of 1 to " + maxBatch + " orders");
        }
        if (root.size() > maxBatch) {
            throw new InvalidOrderException(413, "a batch holds at most " + maxBatch + " orders, got " + root.size());
        }
        OrderBatchRequest batch = new OrderBatchRequest(root.size(), clientId);
        for (JsonNode item : root) {
            try {
                if (!item.isObject()) {
                    throw new InvalidOrderException(400, "expected a JSON object, got "
                            + item.getNodeType().name().toLowerCase());
                }
                batch.accept(newOrder(item, clientId));
            } catch (InvalidOrderException refused) {
                batch.refuse(refused);
            }
        }
        return batch;
    }

    private Order newOrder(JsonNode root, String clientId) {
        return new Order(UUID.randomUUID(),
                currency(root, "src_currency"),
                currency(root, "dst_currency"),
                description(root),
                channel(root),
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS).toString(),
                clientId);
    }

    /** Validates a record value read from the orders topic; a failure here is permanent for that record. */
    public Order fromRecord(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidOrderException(422, "record has no value");
        }
        JsonNode root = parse(value);
        return new Order(
                recordId(root),
                currency(root, "src_currency"),
                currency(root, "dst_currency"),
                description(root),
                channel(root),
                recordCreatedAt(root),
                recordClientId(root));
    }

    /** The body as JSON, any kind of value (null when there is none); 400 when it is not JSON. */
    private JsonNode readJson(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidOrderException(400, "malformed JSON: " + abbreviate(e.getOriginalMessage(), 160));
        } catch (IOException e) {
            throw new InvalidOrderException(400, "unreadable body: " + abbreviate(e.getMessage(), 160));
        }
    }

    private JsonNode parse(byte[] body) {
        JsonNode root = readJson(body);
        if (root == null || root.isMissingNode()) {
            throw new InvalidOrderException(400, "request body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw new InvalidOrderException(400, "expected a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        return root;
    }

    private static long currency(JsonNode root, String field) {
        JsonNode node = required(root, field);
        if (!node.isIntegralNumber()) {
            throw new InvalidOrderException(400, field + " must be a non-negative integer", field);
        }
        if (!node.canConvertToLong() || node.longValue() < 0) {
            throw new InvalidOrderException(400,
                    field + " must be a non-negative integer no larger than " + Long.MAX_VALUE, field);
        }
        return node.longValue();
    }

    private static int channel(JsonNode root) {
        JsonNode node = required(root, "channel");
        if (!node.isIntegralNumber() || !node.canConvertToInt() || !CHANNELS.contains(node.intValue())) {
            throw new InvalidOrderException(400, "channel must be one of " + new java.util.TreeSet<>(CHANNELS), "channel");
        }
        return node.intValue();
    }

    private String description(JsonNode root) {
        JsonNode node = root.get("description");
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new InvalidOrderException(400, "description must be a string", "description");
        }
        String text = node.textValue();
        if (text.codePointCount(0, text.length()) > maxDescriptionLength) {
            throw new InvalidOrderException(400,
                    "description must be at most " + maxDescriptionLength + " characters", "description");
        }
        if (!storableText(text)) {
            throw new InvalidOrderException(400,
                    "description contains a NUL character or an unpaired surrogate, which PostgreSQL text cannot store",
                    "description");
        }
        int unsafe = firstUnsafeCharacter(text);
        if (unsafe >= 0) {
            throw new InvalidOrderException(400, String.format("description contains the control or direction"
                    + " character U+%04X at index %d; only tab, CR and LF are allowed", (int) text.charAt(unsafe), unsafe),
                    "description");
        }
        return text;
    }

    /**
     * The index of the first character that could rewrite what a terminal or log viewer shows: C0 controls but tab,
     * CR and LF, DEL, C1 controls, and the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069);
     * -1 when there is none.
     */
    static int firstUnsafeCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || (c >= 0x7F && c <= 0x9F);
            boolean bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
            if (control || bidi) {
                return i;
            }
        }
        return -1;
    }

    /** The record's id: a UUID in its canonical form (UUID.fromString alone would also take "1-2-3-4-5"). */
    private static UUID recordId(JsonNode root) {
        JsonNode node = required(root, "id");
        try {
            if (node.isTextual() && node.textValue().length() == 36) {
                UUID id = UUID.fromString(node.textValue());
                if (id.toString().equalsIgnoreCase(node.textValue())) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new InvalidOrderException(422, "id must be a UUID", "id");
    }

    private static String recordClientId(JsonNode root) {
        JsonNode node = root.get("client_id");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !ClientIds.isUsable(node.textValue())) {
            throw new InvalidOrderException(422, "client_id must be a string of 1-255 printable characters",
                    "client_id");
        }
        return node.textValue();
    }

    /** RFC 3339 date-time, as the record contract has it: seconds required, any offset. */
    private static final Pattern RFC_3339 = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");

    private static String recordCreatedAt(JsonNode root) {
        JsonNode node = required(root, "created_at");
        try {
            if (node.isTextual()) {
                String text = node.textValue();
                // what fromRequest wrote: checked without the (slow) formatter; any other offset is parsed
                if (isUtcInstant(text)) {
                    return text;
                }
                if (RFC_3339.matcher(text).matches()) {
                    return OffsetDateTime.parse(text).toInstant().toString();
                }
            }
        } catch (DateTimeParseException e) {
            // fall through
        }
        throw new InvalidOrderException(422, "created_at must be an RFC 3339 date-time such as"
                + " 2026-11-27T10:15:30.123456Z", "created_at");
    }

    /** Whether the text is a valid date and time in UTC of the form {@code 2026-11-27T10:00:00[.f{1,9}]Z}. */
    static boolean isUtcInstant(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || (length > 20 && text.charAt(19) != '.')) {
            return false;
        }
        for (int i = 0; i < length - 1; i++) {
            boolean separator = i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19;
            if (!separator && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
                return false;
            }
        }
        try {
            LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10),
                    digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19));
            return true;
        } catch (DateTimeException e) {
            return false; // month 13, February 30, hour 24 ...
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidOrderException(400, field + " is required", field);
        }
        return node;
    }

    private static boolean storableText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
    }
}
