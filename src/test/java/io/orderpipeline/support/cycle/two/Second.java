package io.orderpipeline.support.cycle.two;

import io.orderpipeline.support.cycle.one.First;

/** The other half of the cycle ArchitectureTest must find. */
public class Second {

    public First back() {
        return new First();
    }
}
