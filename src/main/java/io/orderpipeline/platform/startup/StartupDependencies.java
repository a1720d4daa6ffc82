package io.orderpipeline.platform.startup;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.orderpipeline.platform.db.DatabaseFailures;
import io.orderpipeline.platform.db.DatabaseMigrator;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline waits for without stopping: the topics (where it creates them), the schema (where it migrates
 * it) and, for the routes of group {@value #NEEDS_DATABASE} (the sink, the key expiry), PostgreSQL answering with
 * that schema. A process started while the broker or the database is unreachable or frozen starts anyway, says in
 * one log line what it waits for, retries every {@value #RETRY_SECONDS} s, and starts those routes once it has it; the
 * API takes orders meanwhile (the broker permitting). Readiness is DOWN while it waits, with what it waits for. A
 * refusal (wrong credentials, a failed TLS check, a migration PostgreSQL rejects) is a configuration error: at start it
 * stops the process; later it is logged once and waited on like an outage.
 */
public final class StartupDependencies extends AbstractHealthCheck {

    /** The route group whose routes start only once the database answers with its schema migrated. */
    public static final String NEEDS_DATABASE = "needs-database";
    static final int RETRY_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(StartupDependencies.class);

    /** One thing to wait for: done, or an exception saying why not yet. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final CamelContext context;
    private final Step topics;
    private final DataSource dataSource;
    private final String migrations;
    /** routes of group NEEDS_DATABASE held back until the database is there */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** what the log has said it waits for, once each */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile boolean topicsDone;
    private volatile boolean databaseNeeded;
    private volatile boolean databaseDone;
    private volatile boolean attempted;
    private volatile String waitingFor;
    private ScheduledExecutorService retries;

    /**
     * @param topics     creates the topics, or waits for them to be there; null: neither
     * @param migrations Flyway's location, or null when this process does not migrate (routes that need the database
     *                   then wait only for it to answer)
     */
    StartupDependencies(CamelContext context, Step topics, DataSource dataSource, String migrations) {
        super("orders", "orders-dependencies");
        this.context = context;
        this.topics = topics;
        this.dataSource = dataSource;
        this.migrations = migrations;
        this.topicsDone = topics == null;
        this.databaseNeeded = migrations != null;
    }

    /** Before the routes start: one attempt; a refusal stops the start, an outage is left to {@link #started}. */
    void beforeRoutes() throws Exception {
        attemptOnce();
    }

    /**
     * Holds a route of group {@value #NEEDS_DATABASE} back (autoStartup false) while the database is not there. A
     * route policy, so that it applies when Camel creates the route, whether before or after the context starts.
     */
    RoutePolicyFactory holdBack() {
        return (camelContext, routeId, definition) -> new RoutePolicySupport() {
            @Override
            public void onInit(Route route) {
                if (!NEEDS_DATABASE.equals(route.getGroup())) {
                    return;
                }
                try {
                    attemptOnce();
                    if (!databaseNeeded) { // not migrating here: the route needs the database to answer
                        databaseNeeded = true;
                        attempt(true);
                    }
                    if (!databaseDone) {
                        route.setAutoStartup(false);
                        held.add(route.getRouteId());
                    }
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeException(e);
                }
            }
        };
    }

    private synchronized void attemptOnce() throws Exception {
        if (!attempted) {
            attempted = true;
            attempt(true);
        }
    }

    /** After the routes started: keeps trying for what is not there yet. */
    void started() {
        if (isDone()) {
            return;
        }
        retries = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "startup-dependencies");
        retries.scheduleWithFixedDelay(() -> {
            try {
                if (attempt(false)) {
                    retries.shutdown();
                }
            } catch (Exception e) {
                LOG.error("{}", oneLine(e));
            }
        }, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Whether the broker has answered since the start and the topics are there. Until then the producer knows no
     * partition of the topic and a send would wait {@code max.block.ms} on the thread that makes it; afterwards a
     * send fails fast when the broker is away (the producer keeps the topic's metadata).
     */
    public boolean brokerAnswered() {
        return topicsDone;
    }

    private boolean isDone() {
        return topicsDone && (databaseDone || !databaseNeeded);
    }

    /** @return whether everything is there now */
    private synchronized boolean attempt(boolean atStart) throws Exception {
        if (!topicsDone) {
            topicsDone = done(topics, "the Kafka topics", atStart);
        }
        if (databaseNeeded && !databaseDone) {
            databaseDone = done(this::database, "PostgreSQL", atStart);
            if (databaseDone) {
                startHeldRoutes();
            }
        }
        if (!isDone()) {
            return false;
        }
        if (!warned.isEmpty() && waitingFor != null) {
            LOG.info("Stopped waiting: the broker and the database answer, every route runs");
        }
        waitingFor = null;
        return true;
    }

    private boolean done(Step step, String what, boolean atStart) throws Exception {
        try {
            step.run();
            return true;
        } catch (Exception e) {
            if (isRefusal(e)) {
                if (atStart) {
                    throw e;
                }
                waitingFor = what + " refused the pipeline: " + oneLine(e);
                if (warned.add(what + " refused")) {
                    LOG.error("{} refused the pipeline: {}; fix the configuration and restart", what, oneLine(e));
                }
                return false;
            }
            waitingFor = what + ": " + oneLine(e);
            if (warned.add(what)) {
                LOG.warn("Waiting for {} ({}); retrying every {} s, the routes that need it start once it answers",
                        what, oneLine(e), RETRY_SECONDS);
            }
            return false;
        }
    }

    private void database() throws Exception {
        if (migrations != null) {
            var result = new DatabaseMigrator(dataSource, migrations).migrate();
            LOG.info("Database schema is up to date ({} migrations applied now)", result.migrationsExecuted);
        } else {
            try (Connection connection = dataSource.getConnection()) {
                connection.isValid(2);
            }
        }
    }

    private void startHeldRoutes() throws Exception {
        for (String routeId : held) {
            Route route = context.getRoute(routeId);
            if (route != null) {
                route.setAutoStartup(true);
                if (context.isStarted()) {
                    context.getRouteController().startRoute(routeId);
                }
            }
            held.remove(routeId);
        }
    }

    /**
     * A failure that waiting will not cure: credentials or permissions refused, a failed TLS check, a database that
     * does not exist, a migration PostgreSQL rejects. Anything else (refused or timed-out connections) is an outage.
     */
    static boolean isRefusal(Exception e) {
        boolean flyway = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException
                    || t instanceof javax.net.ssl.SSLException) {
                return true;
            }
            // PostgreSQL's classes 28 (invalid authorization) and 3D (no such database)
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("28") || sql.getSQLState().startsWith("3D"))) {
                return true;
            }
            flyway |= t instanceof FlywayException;
        }
        return flyway && !DatabaseFailures.isTransient(e);
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return message.lines().findFirst().orElse(message);
    }

    @Override
    public boolean isLiveness() {
        return false; // waited out, not a reason to restart
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String waiting = waitingFor;
        if (isDone()) {
            builder.up();
        } else {
            builder.message("waiting for " + (waiting == null ? "the first attempt" : waiting)).down();
        }
    }
}
