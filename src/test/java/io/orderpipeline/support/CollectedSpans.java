package io.orderpipeline.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;

/** The spans of a test's pipeline, kept in memory instead of exported over OTLP. */
public final class CollectedSpans {

    private CollectedSpans() {
    }

    /**
     * Binds {@code spans} as the pipeline's span exporter (TracingSetup exports to a {@code SpanExporter} in the
     * registry instead of OTLP); call from {@code configure(MainConfigurationProperties)}.
     */
    public static void into(MainConfigurationProperties configuration, InMemorySpanExporter spans) {
        // runs before TracingSetup, which then finds it
        configuration.addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                context.getRegistry().bind("testSpanExporter", SpanExporter.class, spans);
            }
        });
    }
}
