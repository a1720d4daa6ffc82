package io.orderpipeline.upstream;

import java.util.Set;

import org.apache.camel.console.DevConsole;
import org.apache.camel.impl.console.DefaultDevConsoleRegistry;

/**
 * The developer console registry with only the consoles that show state: none that sends or receives messages
 * ({@code send}, {@code receive}, {@code browse}), evaluates expressions ({@code eval-language},
 * {@code simple-language}, {@code debug}), or prints beans, system properties or JVM arguments ({@code bean},
 * {@code default-registry}, {@code system-properties}, {@code jvm}), where passwords live.
 * <p>
 * Upstream gap: Camel 4.18 turns the developer console on or off as a whole ({@code camel.main.dev-console-enabled});
 * it cannot leave out single consoles, and it registers them again after the routes start. A console is kept out
 * here when it is registered, so no later scan brings it back. No upstream issue as of 2026-12-06. Without it:
 * DeveloperConsoleTest (the system-properties console answers).
 */
public class SafeDevConsoleRegistry extends DefaultDevConsoleRegistry {

    /** The consoles that read state only; anything else, including consoles of future Camel versions, stays out. */
    static final Set<String> ALLOWED = Set.of(
            "context", "route", "route-structure", "route-group", "route-controller", "route-dump", "source",
            "processor", "consumer", "producer", "endpoint", "service", "health", "inflight", "blocked", "event",
            "startup-recorder", "internal-tasks", "reload", "top", "gc", "memory", "thread", "log", "properties",
            "type-converters", "transformers", "circuit-breaker", "rest");

    @Override
    public boolean register(DevConsole console) {
        return ALLOWED.contains(console.getId()) && super.register(console);
    }
}
