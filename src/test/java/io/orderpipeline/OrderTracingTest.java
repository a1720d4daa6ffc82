package io.orderpipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.orderpipeline.support.CollectedSpans;
import io.orderpipeline.support.Orders;
import io.orderpipeline.support.PipelineTestSupport;
import org.apache.camel.Channel;
import org.apache.camel.DelegateProcessor;
import org.apache.camel.Navigate;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.telemetry.TraceProcessorsInterceptStrategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One order is one trace: the HTTP request, the Kafka produce, the consume and the INSERT share its trace id. */
class OrderTracingTest extends PipelineTestSupport {

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final AttributeKey<String> KAFKA_KEY = AttributeKey.stringKey("kafka.key");
    private static final AttributeKey<String> MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    private static final AttributeKey<Long> MESSAGE_COUNT = AttributeKey.longKey("messaging.batch.message_count");

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        CollectedSpans.into(configuration, SPANS);
    }

    @Test
    void theConsumeSpanOfAnOrderNamesTheClientThatSentIt() {
        String id = java.util.UUID.randomUUID().toString();
        kafka().send(topic(), id, ("{\"id\": \"" + id + "\", \"src_currency\": 1, \"dst_currency\": 2, \"channel\": 1,"
                + " \"created_at\": \"2026-12-01T10:00:00Z\", \"client_id\": \"shop-9\"}").getBytes(),
                Map.of("client_id", "shop-9"));

        SpanData consumed = await().atMost(Duration.ofSeconds(30)).until(() -> SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(topic() + " process"))
                .filter(s -> id.equals(s.getAttributes().get(MESSAGE_KEY))).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(consumed.getAttributes().get(io.orderpipeline.sink.RecordTracing.CLIENT_ID)).isEqualTo("shop-9");
    }

    @Test
    void theSpansOfOneOrderShareOneTraceFromTheRequestToTheInsert() {
        String id = api().post(Orders.json("traced"))
                .json().get("id").asText();

        SpanData insert = await().atMost(Duration.ofSeconds(30)).until(() -> SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("INSERT orders"))
                .filter(s -> id.equals(parentOf(s).getAttributes().get(MESSAGE_KEY)))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();

        List<SpanData> trace = SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(insert.getTraceId())).toList();
        Map<String, SpanData> byId = trace.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
        SpanData consumed = byId.get(insert.getParentSpanId());
        SpanData produced = byId.get(consumed.getParentSpanId());
        SpanData request = byId.get(produced.getParentSpanId());

        assertThat(consumed.getName()).isEqualTo(topic() + " process");
        assertThat(produced.getName()).isEqualTo(topic());
        assertThat(produced.getAttributes().get(KAFKA_KEY)).isEqualTo(id);
        assertThat(request.getName()).isEqualTo("POST");
        assertThat(request.getParentSpanContext().isValid()).as("the request starts the trace").isFalse();
        assertThat(List.of(request, produced, consumed, insert)).extracting(SpanData::getTraceId).containsOnly(
                insert.getTraceId());
        assertThat(insert.getEndEpochNanos()).isLessThanOrEqualTo(consumed.getEndEpochNanos());
    }

    @Test
    void eachOrderStartsItsOwnTraceAlthoughTheyShareOneEventLoop() {
        List<String> ids = IntStream.range(0, 5).mapToObj(i -> api().post(Orders.json("one of five"))
                .json().get("id").asText()).toList();

        List<SpanData> produced = await().atMost(Duration.ofSeconds(30)).until(() -> SPANS.getFinishedSpanItems()
                .stream().filter(s -> ids.contains(s.getAttributes().get(KAFKA_KEY))).toList(), p -> p.size() == 5);

        List<SpanData> requests = produced.stream().map(OrderTracingTest::parentOf).toList();
        assertThat(requests).extracting(SpanData::getName).containsOnly("POST");
        assertThat(requests).extracting(s -> s.getParentSpanContext().isValid())
                .as("no request's span is the child of an earlier one").containsOnly(false);
        assertThat(produced).extracting(SpanData::getTraceId).doesNotHaveDuplicates();
    }

    @Test
    void theOrdersOfOneBatchShareTheirConsumeAndInsertSpans() {
        int orders = 50;
        String batch = IntStream.range(0, orders).mapToObj(i -> Orders.json("batched"))
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(api().send("POST", "/orders/batch", "application/json", batch.getBytes()).status()).isEqualTo(200);

        // the batch's trace: the one whose consume spans stand for more than one record
        String trace = await().atMost(Duration.ofSeconds(30)).until(() -> SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(topic() + " process"))
                .filter(s -> s.getAttributes().get(MESSAGE_COUNT) > 1).map(SpanData::getTraceId).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        List<SpanData> consumed = await().atMost(Duration.ofSeconds(30)).until(() -> SPANS.getFinishedSpanItems()
                .stream().filter(s -> s.getTraceId().equals(trace) && s.getName().equals(topic() + " process"))
                .toList(), c -> c.stream().mapToLong(s -> s.getAttributes().get(MESSAGE_COUNT)).sum() == orders);

        assertThat(consumed).as("fewer consume spans than orders (one per poll that held some of them)")
                .hasSizeLessThan(orders);
        List<SpanData> inserts = SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(trace) && s.getName().equals("INSERT orders")).toList();
        assertThat(inserts).extracting(SpanData::getParentSpanId)
                .containsExactlyInAnyOrderElementsOf(consumed.stream().map(SpanData::getSpanId).toList());
        assertThat(parentOf(consumed.get(0)).getName()).as("the batch's Kafka send").isEqualTo(topic());
    }

    @Test
    void theTracerWrapsNoStepOfAnyRoute() {
        // it makes spans for routes and endpoints, none per step (traceProcessors is off), so no step of any route
        // is wrapped in its per-step tracing processor (io.orderpipeline.upstream.UntracedSteps)
        List<String> wrapped = new ArrayList<>();
        context.getRoutes().forEach(route -> wrappedSteps(route.navigate(), route.getRouteId(), wrapped));
        assertThat(context.getRoutes()).hasSizeGreaterThan(5);
        assertThat(wrapped).as("steps wrapped by the tracer").isEmpty();
    }

    private static void wrappedSteps(Object step, String routeId, List<String> wrapped) {
        if (step instanceof Channel channel) {
            // a step's interceptors sit between its channel and the step
            for (Object around = channel.getOutput(); around != null && around != channel.getNextProcessor();
                 around = around instanceof DelegateProcessor delegate ? delegate.getProcessor() : null) {
                if (around.getClass().getEnclosingClass() == TraceProcessorsInterceptStrategy.class) {
                    wrapped.add(routeId + ": " + channel.getNextProcessor());
                }
            }
        }
        if (step instanceof Navigate<?> navigate && navigate.hasNext()) {
            for (Object next : navigate.next()) {
                wrappedSteps(next, routeId, wrapped);
            }
        }
    }

    private static SpanData parentOf(SpanData span) {
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getSpanId().equals(span.getParentSpanId()))
                .findFirst().orElse(span);
    }
}
