package io.orderpipeline.platform.telemetry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;

/**
 * At most one WARN line per interval, for events any client can cause as often as it likes (malformed requests,
 * failed authentications): the log says that they happen and how many went unwritten, and cannot be flooded.
 * Lines carry no stack trace; callers pass nothing a client chose that could matter (no key material).
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextDue;
    private final LongAdder unwritten = new LongAdder();

    public RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nextDue = new AtomicLong(System.nanoTime());
    }

    /** Writes the line unless one was written within the interval; then only counts it. */
    public void warn(String format, Object... arguments) {
        long now = System.nanoTime();
        long due = nextDue.get();
        if (now - due < 0 || !nextDue.compareAndSet(due, now + intervalNanos)) {
            unwritten.increment();
            return;
        }
        long skipped = unwritten.sumThenReset();
        if (skipped > 0) {
            log.warn(format + " (and " + skipped + " more since the last such line)", arguments);
        } else {
            log.warn(format, arguments);
        }
    }
}
