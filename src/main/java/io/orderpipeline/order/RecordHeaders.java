package io.orderpipeline.order;

/**
 * The headers of an {@code orders} record and of a dead letter: the one declaration of the names the routes write and
 * Java reads. The route lint (RouteNames) fails the build when a route sets a record header not declared here.
 */
public final class RecordHeaders {

    /** The client an order came from (absent: anonymous); orders-api and orders-batch set it. */
    public static final String CLIENT_ID = "client_id";
    /** Which version of the record contract (src/main/resources/order-record.schema.json) the value follows. */
    public static final String CONTRACT_VERSION = "contract_version";
    /** The W3C trace context of the request that published the order (OpenTelemetry's propagator sets it). */
    public static final String TRACEPARENT = "traceparent";

    /** What the sink adds to a record it dead-letters starts with this; a replay leaves such headers out. */
    public static final String DEAD_LETTER_PREFIX = "dlt.";

    /** A dead letter's reason code (sink.DeadLetterReason), set by orders-sink-errors as are the five below. */
    public static final String DLT_REASON = "dlt.reason";
    /** The class of the exception that dead-lettered the record. */
    public static final String DLT_EXCEPTION_CLASS = "dlt.exception.class";
    /** Where the record was consumed from: topic, partition and offset. */
    public static final String DLT_ORIGINAL_TOPIC = "dlt.original.topic";
    public static final String DLT_ORIGINAL_PARTITION = "dlt.original.partition";
    public static final String DLT_ORIGINAL_OFFSET = "dlt.original.offset";
    /** The most redeliveries the sink's policy made before dead-lettering. */
    public static final String DLT_REDELIVERIES = "dlt.redeliveries";
    /** How often {@code dlq replay} has republished the record (the replay sets it). */
    public static final String DLT_REPLAYS = "dlt.replays";

    private RecordHeaders() {
    }
}
