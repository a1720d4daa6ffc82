package io.orderpipeline.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.orderpipeline.kafka.ConsumedRecord;

/**
 * Spans per trace for the batching sink. Camel traces a poll as one exchange, which belongs to no order's trace; this
 * continues each trace among the poll's records (the producer's context travels in the record's {@code traceparent}
 * header) with a consume span and, under it, the span of the INSERT that stored its records. An order sent alone has a
 * trace, and so spans, of its own; the orders of one {@code POST /orders/batch} share the request's trace, and share
 * these two spans too ({@code messaging.batch.message_count} says how many): two spans per order cost the sink more
 * CPU than parsing the order (bench/README.md, 2026-12-01). Does nothing while tracing is off.
 */
public class RecordTracing {

    private static final TextMapGetter<ConsumedRecord> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ConsumedRecord record) {
            List<String> keys = new ArrayList<>();
            if (record.headers() != null) {
                record.headers().forEach(header -> keys.add(header.key()));
            }
            return keys;
        }

        @Override
        public String get(ConsumedRecord record, String key) {
            return record == null ? null : record.header(key);
        }
    };

    private static final String TRACEPARENT = "traceparent";
    /** The record header that names the client that sent the order (orders-api sets it). */
    private static final String CLIENT_ID_HEADER = "client_id";
    /** The span attribute with that client id (none for an anonymous order). */
    public static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("order.client_id");

    private volatile Tracer tracer;
    private volatile ContextPropagators propagators;

    /** Turns tracing on (called by {@link TracingSetup}). */
    public void use(Tracer tracer, ContextPropagators propagators) {
        this.tracer = tracer;
        this.propagators = propagators;
    }

    /** Starts one consume span per trace among the records (a record without a trace context starts its own). */
    public RecordSpans consumed(List<ConsumedRecord> records) {
        Tracer t = tracer;
        if (t == null) {
            return RecordSpans.NONE;
        }
        Map<Object, List<ConsumedRecord>> byTrace = new LinkedHashMap<>();
        for (ConsumedRecord record : records) {
            String trace = record.header(TRACEPARENT);
            byTrace.computeIfAbsent(trace == null ? record : trace, key -> new ArrayList<>(1)).add(record);
        }
        List<Span> spans = new ArrayList<>(byTrace.size());
        for (List<ConsumedRecord> group : byTrace.values()) {
            ConsumedRecord first = group.get(0);
            Context parent = propagators.getTextMapPropagator().extract(Context.root(), first, HEADERS);
            SpanBuilder span = t.spanBuilder(first.topic() + " process").setParent(parent)
                    .setSpanKind(SpanKind.CONSUMER)
                    .setAttribute(CLIENT_ID, clientOf(group))
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.destination.name", first.topic())
                    .setAttribute("messaging.batch.message_count", group.size());
            if (group.size() == 1) {
                span.setAttribute("messaging.kafka.message.key", String.valueOf(first.key()))
                        .setAttribute("messaging.kafka.destination.partition", String.valueOf(first.partition()))
                        .setAttribute("messaging.kafka.message.offset", String.valueOf(first.offset()));
            }
            spans.add(span.startSpan());
        }
        return new RecordSpans(t, spans, records.size());
    }

    /** The client that sent the records, when they name one and the same (null otherwise). */
    private static String clientOf(List<ConsumedRecord> records) {
        String client = records.get(0).header(CLIENT_ID_HEADER);
        for (int i = 1; i < records.size() && client != null; i++) {
            if (!client.equals(records.get(i).header(CLIENT_ID_HEADER))) {
                return null;
            }
        }
        return client;
    }

    /** The spans of one batch: {@link #storing()} when its INSERT begins, {@link #stored()} once it is committed. */
    public static final class RecordSpans {

        static final RecordSpans NONE = new RecordSpans(null, List.of(), 0);

        private final Tracer tracer;
        private final List<Span> consumed;
        private final int rows;
        private Instant storingSince;

        private RecordSpans(Tracer tracer, List<Span> consumed, int rows) {
            this.tracer = tracer;
            this.consumed = consumed;
            this.rows = rows;
        }

        public void storing() {
            storingSince = Instant.now();
        }

        public void stored() {
            Instant end = Instant.now();
            for (Span span : consumed) {
                if (storingSince != null) {
                    tracer.spanBuilder("INSERT orders").setParent(Context.root().with(span))
                            .setSpanKind(SpanKind.CLIENT).setStartTimestamp(storingSince)
                            .setAttribute("db.system", "postgresql")
                            .setAttribute("db.operation", "INSERT")
                            .setAttribute("db.sql.table", "orders")
                            .setAttribute("db.operation.batch.size", rows)
                            .startSpan().end(end);
                }
                span.end(end);
            }
        }
    }
}
