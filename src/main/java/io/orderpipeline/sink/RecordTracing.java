package io.orderpipeline.sink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.orderpipeline.order.RecordHeaders;
import io.orderpipeline.platform.telemetry.TracingSetup.Tracing;
import io.orderpipeline.platform.telemetry.TracingSetup;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * Spans per trace for the batching sink. Camel traces a poll as one exchange, which belongs to no order's trace; this
 * continues each trace among the poll's records (the producer's context travels in the record's {@code traceparent}
 * header) with a consume span and, under it, the span of the INSERT that stored its records. An order sent alone has a
 * trace, and so spans, of its own; the orders of one {@code POST /orders/batch} share the request's trace, and share
 * these two spans too ({@code messaging.batch.message_count} says how many): two spans per order cost the sink more
 * CPU than parsing the order (bench/README.md, 2026-12-01). Does nothing while tracing is off.
 */
public class RecordTracing implements CamelContextAware {

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

    /** The span attribute with that client id (none for an anonymous order). */
    public static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("order.client_id");

    private CamelContext context;
    /** Decided at the first poll, once the context (and its tracing) has started; empty while tracing is off. */
    private volatile Optional<Tracing> tracing;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** The sink's own spans (consume, INSERT) are its Kafka endpoint's: excluding that endpoint excludes them. */
    private Optional<Tracing> tracing(String topic) {
        Optional<Tracing> decided = tracing;
        if (decided == null) {
            decided = context == null ? Optional.empty() : TracingSetup.forEndpoint(context, "kafka://" + topic);
            tracing = decided;
        }
        return decided;
    }

    /** Starts one consume span per trace among the records (a record without a trace context starts its own). */
    public RecordSpans consumed(List<ConsumedRecord> records) {
        if (records.isEmpty()) {
            return RecordSpans.NONE;
        }
        Tracing on = tracing(records.get(0).topic()).orElse(null);
        if (on == null) {
            return RecordSpans.NONE;
        }
        Tracer t = on.tracer();
        ContextPropagators propagators = on.propagators();
        Map<Object, List<ConsumedRecord>> byTrace = new LinkedHashMap<>();
        for (ConsumedRecord record : records) {
            String trace = record.header(RecordHeaders.TRACEPARENT);
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
        String client = records.get(0).header(RecordHeaders.CLIENT_ID);
        for (int i = 1; i < records.size() && client != null; i++) {
            if (!client.equals(records.get(i).header(RecordHeaders.CLIENT_ID))) {
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
