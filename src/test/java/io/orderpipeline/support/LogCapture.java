package io.orderpipeline.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The log events of this JVM from {@link #capture()} to {@link #close()}, as the shipped logging configuration lets them through. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<LogEvent> events = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    /** Captures from now until {@link #close()}. */
    public static LogCapture capture() {
        LogCapture capture = new LogCapture();
        capture.attach();
        return capture;
    }

    private void attach() {
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(this, null, null);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        events.add(event.toImmutable());
    }

    public List<LogEvent> events() {
        return List.copyOf(events);
    }

    /**
     * The events of loggers under these prefixes: what a test provokes, without what other contexts of the same JVM
     * (other test classes') log meanwhile.
     */
    public List<LogEvent> under(String... loggerPrefixes) {
        return events.stream().filter(e -> java.util.Arrays.stream(loggerPrefixes)
                .anyMatch(prefix -> e.getLoggerName().startsWith(prefix))).toList();
    }

    /** Events of this logger. */
    public List<LogEvent> of(Class<?> logger) {
        return events.stream().filter(e -> e.getLoggerName().equals(logger.getName())).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
