package io.orderpipeline.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bean whose every method returns without waiting on I/O, a lock or another thread: a route may call it on the
 * Vert.x event loop or on the Kafka client's acknowledgement thread (io.orderpipeline.upstream.BlockingSteps). A bean without it is
 * taken to block.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NonBlocking {
}
