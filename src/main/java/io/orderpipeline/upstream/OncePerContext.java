package io.orderpipeline.upstream;

import org.apache.camel.CamelContext;

/**
 * {@code camel.main.configuration-classes} configures a {@code @Configuration} class, and {@code camel run} also
 * configures it when it compiles its source: this lets such a class act once per context.
 * <p>
 * Gap: camel-jbang configures a compiled {@code @Configuration} class that the configuration also names; no upstream
 * issue as of 2026-12-06 (CAMEL-22055, routes injected twice, is a neighbour, fixed before 4.18). Without it: CamelRunIT
 * (the start-up would install its servers' guards and services a second time).
 */
public final class OncePerContext {

    private OncePerContext() {
    }

    /** @return true the first time it is asked for this context and class, false after */
    public static boolean first(CamelContext context, Class<?> configuration) {
        String marker = configuration.getName() + ".configured";
        if (context.getRegistry().lookupByName(marker) != null) {
            return false;
        }
        context.getRegistry().bind(marker, Boolean.TRUE);
        return true;
    }
}
