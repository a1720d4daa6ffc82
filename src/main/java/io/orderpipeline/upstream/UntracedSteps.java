package io.orderpipeline.upstream;

import org.apache.camel.CamelContext;
import org.apache.camel.telemetry.TraceProcessorsInterceptStrategy;
import org.apache.camel.telemetry.Tracer;

/**
 * Takes camel-telemetry's per-step wrapper off the routes when its tracer makes no span per step (its
 * {@code traceProcessors}, off by default and here): the route's span and each endpoint's span stay as they are.
 * <p>
 * Gap: camel-telemetry 4.18's {@code Tracer} adds {@code TraceProcessorsInterceptStrategy} to every context it
 * traces, whatever {@code traceProcessors} says, and the wrapper it puts around every step of every route concatenates
 * the step's name and allocates a callback for every exchange before it finds that it has nothing to trace. An order
 * passes some twenty steps through orders-api. No upstream issue as of 2026-12-06. Without it:
 * OrderTracingTest.theTracerWrapsNoStepOfAnyRoute (every step wrapped). Call after the tracer is initialised and
 * before the routes are built; goes once camel-telemetry wraps steps only when it traces them.
 */
public final class UntracedSteps {

    private UntracedSteps() {
    }

    public static void unwrap(CamelContext context) {
        Tracer tracer = context.hasService(Tracer.class);
        if (tracer == null || tracer.isTraceProcessors()) {
            return;
        }
        context.getCamelContextExtension().getInterceptStrategies()
                .removeIf(strategy -> strategy instanceof TraceProcessorsInterceptStrategy);
    }
}
