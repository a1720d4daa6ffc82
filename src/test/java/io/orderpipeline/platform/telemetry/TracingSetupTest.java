package io.orderpipeline.platform.telemetry;

import java.util.List;
import java.util.stream.IntStream;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracingSetupTest {

    private static final IdGenerator IDS = IdGenerator.random();

    @Test
    void theDefaultRatioRecordsEveryOrder() {
        assertThat(sampledOf(TracingSetup.sampler(1.0), Context.root(), 1000)).isEqualTo(1000);
    }

    @Test
    void aRatioRecordsThatShareOfNewTraces() {
        assertThat(sampledOf(TracingSetup.sampler(0.0), Context.root(), 1000)).isZero();
        assertThat(sampledOf(TracingSetup.sampler(0.25), Context.root(), 4000)).isBetween(800L, 1200L);
    }

    @Test
    void aTraceKeepsTheDecisionOfItsParentSoItIsKeptOrDroppedWhole() {
        assertThat(sampledOf(TracingSetup.sampler(0.0), parent(true), 100)).isEqualTo(100);
        assertThat(sampledOf(TracingSetup.sampler(1.0), parent(false), 100)).isZero();
    }

    @Test
    void aRatioOutsideZeroToOneIsAConfigurationError() {
        for (double wrong : List.of(-0.1, 1.5, Double.NaN)) {
            assertThatThrownBy(() -> TracingSetup.sampler(wrong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("orders.tracing.sample-ratio must be between 0.0 and 1.0");
        }
    }

    private static long sampledOf(Sampler sampler, Context parent, int traces) {
        return IntStream.range(0, traces)
                .mapToObj(i -> sampler.shouldSample(parent, IDS.generateTraceId(), "POST /orders", SpanKind.SERVER,
                        Attributes.empty(), List.of()).getDecision())
                .filter(decision -> decision == SamplingDecision.RECORD_AND_SAMPLE)
                .count();
    }

    private static Context parent(boolean sampled) {
        SpanContext remote = SpanContext.createFromRemoteParent(IDS.generateTraceId(), IDS.generateSpanId(),
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
        return Context.root().with(Span.wrap(remote));
    }
}
