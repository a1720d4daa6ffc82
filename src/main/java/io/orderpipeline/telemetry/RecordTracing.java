package io.orderpipeline.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.orderpipeline.kafka.ConsumedRecord;

/**
 * Per-order spans for the batching sink. Camel traces the batch as one exchange, which belongs to no order's trace;
 * this continues each order's own trace (its producer's context travels in the record's {@code traceparent} header)
 * with a consume span and, under it, the span of the INSERT that stored it. Does nothing while tracing is off.
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

    /** Starts one consume span per record, each in the trace its producer started. */
    public RecordSpans consumed(List<ConsumedRecord> records) {
        Tracer t = tracer;
        if (t == null) {
            return RecordSpans.NONE;
        }
        List<Span> spans = new ArrayList<>(records.size());
        for (ConsumedRecord record : records) {
            Context parent = propagators.getTextMapPropagator().extract(Context.root(), record, HEADERS);
            spans.add(t.spanBuilder(record.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute(CLIENT_ID, record.header(CLIENT_ID_HEADER))
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.destination.name", record.topic())
                    .setAttribute("messaging.kafka.message.key", String.valueOf(record.key()))
                    .setAttribute("messaging.kafka.destination.partition", String.valueOf(record.partition()))
                    .setAttribute("messaging.kafka.message.offset", String.valueOf(record.offset()))
                    .setAttribute("messaging.batch.message_count", records.size())
                    .startSpan());
        }
        return new RecordSpans(t, spans);
    }

    /** The spans of one batch: {@link #storing()} when its INSERT begins, {@link #stored()} once it is committed. */
    public static final class RecordSpans {

        static final RecordSpans NONE = new RecordSpans(null, List.of());

        private final Tracer tracer;
        private final List<Span> consumed;
        private Instant storingSince;

        private RecordSpans(Tracer tracer, List<Span> consumed) {
            this.tracer = tracer;
            this.consumed = consumed;
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
                            .setAttribute("db.operation.batch.size", consumed.size())
                            .startSpan().end(end);
                }
                span.end(end);
            }
        }
    }
}
