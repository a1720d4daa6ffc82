package io.orderpipeline.support.cycle.one;

import io.orderpipeline.support.cycle.two.Second;

/** Half of a cycle between two packages, for ArchitectureTest to find. */
public class First {

    public Second next() {
        return new Second();
    }
}
