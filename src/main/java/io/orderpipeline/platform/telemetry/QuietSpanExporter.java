package io.orderpipeline.platform.telemetry;

import java.time.Duration;
import java.util.Collection;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The span exporter, saying in one WARN line at most every ten minutes that its collector does not answer, instead
 * of the OTLP exporter's own multi-line report of every failed batch (its logger is off in log4j2.properties). With no
 * collector running, as by default on a laptop, the pipeline's log stays readable.
 */
final class QuietSpanExporter implements SpanExporter {

    private static final Logger LOG = LoggerFactory.getLogger(QuietSpanExporter.class);
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, Duration.ofMinutes(10));

    private final SpanExporter exporter;
    private final String endpoint;

    QuietSpanExporter(SpanExporter exporter, String endpoint) {
        this.exporter = exporter;
        this.endpoint = endpoint;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = exporter.export(spans);
        result.whenComplete(() -> {
            if (!result.isSuccess()) {
                FAILURES.warn("Tracing: no OTLP collector answers at {}; spans are dropped until one does"
                        + " (ORDERS_TRACING_EXPORTER=none stops trying)", endpoint);
            }
        });
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return exporter.shutdown();
    }
}
