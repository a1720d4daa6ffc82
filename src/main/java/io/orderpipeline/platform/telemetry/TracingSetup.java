package io.orderpipeline.platform.telemetry;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.EndpointHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * OpenTelemetry tracing from the {@code orders.tracing.*} keys: one trace per order from the HTTP request through the
 * Kafka produce (its context travels in the record's {@code traceparent} header) to the consume and the INSERT.
 * Installs camel-opentelemetry2 with an SDK of its own rather than through {@code camel.opentelemetry2.*}, which would
 * start before this class could hand it the SDK and fall back to the JVM-global no-op one.
 */
public final class TracingSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TracingSetup.class);

    /** The tracer of the spans a route's own code starts, and how they travel in a record's headers. */
    public record Tracing(Tracer tracer, ContextPropagators propagators) {
    }

    private static final String TRACER = "ordersTracer";
    private static final String PROPAGATORS = "ordersTracePropagators";

    private TracingSetup() {
    }

    /** Before the context starts (start-up calls it once per context). */
    public static void install(CamelContext context) {
        // the OpenTelemetry SDK (and others) write through java.util.logging: into this project's log layout instead
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        PropertiesComponent props = context.getPropertiesComponent();
        if (!Boolean.parseBoolean(get(props, "orders.tracing.enabled"))) {
            return;
        }
        String exporter = get(props, "orders.tracing.exporter").trim();
        // a SpanExporter bean (tests bind an in-memory one) wins over the configured exporter
        SpanExporter supplied = context.getRegistry().findSingleByType(SpanExporter.class);
        SpanProcessor processor;
        if (supplied != null) {
            processor = SimpleSpanProcessor.create(supplied);
        } else if (exporter.equals("otlp")) {
            String endpoint = get(props, "orders.tracing.otlp-endpoint");
            processor = BatchSpanProcessor.builder(new QuietSpanExporter(OtlpGrpcSpanExporter.builder()
                    .setEndpoint(endpoint)
                    .setTimeout(Duration.ofMillis(Long.parseLong(get(props, "orders.tracing.export-timeout-ms"))))
                    .build(), endpoint)).build();
            LOG.info("Tracing: spans go over OTLP/gRPC to {} (ORDERS_TRACING_EXPORTER=none keeps them in)", endpoint);
        } else if (exporter.equals("none")) {
            processor = SpanProcessor.composite();
        } else {
            throw new IllegalArgumentException("orders.tracing.exporter must be otlp or none, got '" + exporter + "'");
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().toBuilder()
                        .put(AttributeKey.stringKey("service.name"), get(props, "orders.tracing.service-name"))
                        .build())
                .addSpanProcessor(processor)
                .setSampler(sampler(Double.parseDouble(get(props, "orders.tracing.sample-ratio"))))
                .build();
        Tracer tracer = provider.get("order-pipeline");
        // trace context only: W3C baggage would also carry Camel's internal scope flag into every record
        ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
        context.getRegistry().bind(TRACER, Tracer.class, tracer);
        context.getRegistry().bind(PROPAGATORS, ContextPropagators.class, propagators);
        String exclude = exclusions(context);

        OpenTelemetryTracer camelTracer = new OpenTelemetryTracer();
        camelTracer.setExcludePatterns(exclude.isEmpty() ? null : exclude);
        camelTracer.init(context);
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    // send what is buffered; a collector that is not there costs at most the export timeout
                    provider.shutdown().join(5, TimeUnit.SECONDS);
                }
            }, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the tracer's shutdown", e);
        }
    }

    /**
     * How to trace what a route does beyond Camel's own spans, on behalf of one of its endpoints: none while tracing is
     * off or {@code orders.tracing.exclude-patterns} leaves that endpoint out. Call once the context has started.
     */
    public static Optional<Tracing> forEndpoint(CamelContext context, String uri) {
        Tracer tracer = context.getRegistry().lookupByNameAndType(TRACER, Tracer.class);
        if (tracer == null || excluded(context, exclusions(context), uri)) {
            return Optional.empty();
        }
        return Optional.of(new Tracing(tracer,
                context.getRegistry().lookupByNameAndType(PROPAGATORS, ContextPropagators.class)));
    }

    private static String exclusions(CamelContext context) {
        return context.getPropertiesComponent().resolveProperty("orders.tracing.exclude-patterns").orElse("").trim();
    }

    /** Whether one of the comma-separated endpoint patterns takes the URI (matched as interceptors match endpoints). */
    static boolean excluded(CamelContext context, String patterns, String uri) {
        for (String pattern : patterns.split(",")) {
            if (!pattern.isBlank() && EndpointHelper.matchEndpoint(context, uri, pattern.trim())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records every trace at 1.0, a share of them (by trace id) below; a trace started upstream keeps its caller's
     * decision, and the sink follows the sampled flag its records carry, so a trace is kept or dropped whole.
     */
    static Sampler sampler(double ratio) {
        if (!(ratio >= 0.0 && ratio <= 1.0)) {
            throw new IllegalArgumentException("orders.tracing.sample-ratio must be between 0.0 and 1.0, got " + ratio);
        }
        return Sampler.parentBased(ratio == 1.0 ? Sampler.alwaysOn() : Sampler.traceIdRatioBased(ratio));
    }

    private static String get(PropertiesComponent props, String key) {
        return props.resolveProperty(key)
                .orElseThrow(() -> new IllegalArgumentException("missing configuration property " + key));
    }
}
