package io.orderpipeline.cli;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.orderpipeline.devservices.EmbeddedKafkaBroker;
import io.orderpipeline.devservices.EmbeddedPostgresDatabase;
import io.orderpipeline.platform.db.DatabaseMigrator;
import io.orderpipeline.platform.kafka.KafkaClients;
import io.orderpipeline.platform.security.ApiKeys;
import io.orderpipeline.platform.startup.ServerSecurity;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.kafka.clients.admin.Admin;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The jar's command line: {@code [-c FILE] [produce|consume|migrate|services]}. Starts the embedded broker and
 * database where nothing external is configured, checks what would otherwise fail half-way, then runs Camel Main
 * with the routes the subcommand needs.
 */
public final class OrderPipeline {

    static final String USAGE = """
            Usage: java -jar order-pipeline.jar [-c FILE] [COMMAND]

            Orders over HTTP -> Kafka -> PostgreSQL, on Apache Camel.

            Commands:
              (none)     run everything: HTTP API, sink, and the embedded broker/database when needed
              produce    only POST /orders -> Kafka (route orders-api) and /openapi.json
              consume    only the sink (Kafka -> PostgreSQL), routes orders-sink*
              migrate    apply the database migrations, then exit
              services   only the embedded Kafka broker and PostgreSQL, for pipelines started elsewhere
              api-key CLIENT
                         print a new API key for CLIENT and the line that adds it to the API keys file
                         (orders.http.api-keys-file); the key itself is stored nowhere
              dlq list [--limit N]
                         the dead letters (partition, offset, time, key, reason, replays, state)
              dlq show PARTITION:OFFSET
                         one dead letter: where it came from, its headers and its value
              dlq replay [--since TIME | --from-offset N] [--reason PREFIX] [--key ID] [--dry-run]
                         republish the dead letters not replayed yet to the orders topic, with their
                         headers; --reason and --key replay only the matching ones

            Options:
              -c, --config FILE   properties file layered over the packaged application.properties
                  --routes DIR    load the *.camel.yaml routes from DIR instead of the jar, and reload
                                  a route file when it changes (no restart)
              -h, --help          show this help
              -V, --version       show the version

            Environment variables override every key (ORDERS_HTTP_PORT, ORDERS_KAFKA_BROKERS, ORDERS_DB_URL,
            ORDERS_DB_USER, ORDERS_DB_PASSWORD, ORDERS_DATA_DIR, ...); see README.md.
            """;

    /** The routes packaged into the jar (src/main/resources/routes). */
    static final String PACKAGED_ROUTES = "classpath:routes/*.camel.yaml";

    private final PrintStream out;
    private final List<AutoCloseable> services = new ArrayList<>();
    /** Counted down once Camel has stopped, so the broker and database outlive the routes on shutdown. */
    private final CountDownLatch pipelineStopped = new CountDownLatch(1);

    OrderPipeline(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new OrderPipeline(System.out).run(args);
        } catch (UsageException e) {
            System.err.println("order-pipeline: " + e.getMessage());
            System.err.println("Try 'java -jar order-pipeline.jar --help'.");
            code = 2;
        } catch (Exception e) {
            System.err.println("order-pipeline: error: " + oneLine(e));
            code = 1;
        }
        System.exit(code);
    }

    int run(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse(args);
        if (cli.help()) {
            out.print(USAGE);
            return 0;
        }
        if (cli.version()) {
            out.println("order-pipeline " + version());
            out.println(jvm());
            return 0;
        }
        if (cli.command().equals("api-key")) {
            String[] key = ApiKeys.newKey(cli.argument());
            out.println("key:  " + key[0]);
            out.println("line: " + key[1]);
            return 0;
        }
        if (cli.configFile() != null && !Files.isRegularFile(cli.configFile())) {
            throw new IllegalArgumentException("config file " + cli.configFile() + " does not exist");
        }
        if (cli.routesDir() != null && !Files.isDirectory(cli.routesDir())) {
            throw new IllegalArgumentException("routes directory " + cli.routesDir() + " does not exist");
        }
        Settings settings = Settings.load(cli.configFile());
        if (cli.command().equals("dlq")) {
            return new DeadLetterCommand(settings, out, System.err).run(cli.arguments());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitQuietly(pipelineStopped, settings.getInt("orders.shutdown-timeout-seconds") + 10);
            closeServices();
        }, "order-pipeline-services-stop"));
        try {
            return switch (cli.command()) {
                case "services" -> runServices(settings);
                case "migrate" -> runMigrate(settings);
                default -> runPipeline(settings, cli);
            };
        } finally {
            pipelineStopped.countDown();
            closeServices();
        }
    }

    private int runServices(Settings settings) throws Exception {
        Map<String, String> started = startServices(settings, true, true, true);
        out.println();
        out.println("order-pipeline services are up (Ctrl-C stops them):");
        started.forEach((name, address) -> out.printf("  %-12s %s%n", name, address));
        out.println("  JVM          " + jvm());
        out.println("  data dir     " + dataDir(settings));
        pipelineStopped.countDown();
        new CountDownLatch(1).await();
        return 0;
    }

    private int runMigrate(Settings settings) throws Exception {
        startServices(settings, false, false, true);
        MigrateResult result;
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(settings.get("orders.db.url"));
            dataSource.setUsername(settings.get("orders.db.user"));
            dataSource.setPassword(settings.get("orders.db.password"));
            dataSource.setMaximumPoolSize(3); // Flyway holds a second connection for its lock
            result = new DatabaseMigrator(dataSource, settings.get("orders.db.migrations-location")).migrate();
        }
        out.printf("Database %s is at schema version %s (%d migrations applied)%n",
                Endpoints.redact(settings.get("orders.db.url")),
                result.targetSchemaVersion, result.migrationsExecuted);
        return 0;
    }

    private int runPipeline(Settings settings, CommandLine cli) throws Exception {
        boolean api = !cli.command().equals("consume");
        boolean sink = !cli.command().equals("produce");
        if (api) {
            ServerSecurity.apiExposure(settings::find).ifPresent(problem -> {
                throw new IllegalStateException(problem);
            });
            requireFreePort(settings, "orders.http.host", "orders.http.port", "HTTP");
        }
        ServerSecurity.managementExposure(settings::find).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        requireFreePort(settings, "orders.management.host", "orders.management.port", "management");
        startServices(settings, false, true, sink);
        checkKafka(settings);
        if (sink) {
            checkDatabase(settings);
        }

        Main main = new Main();
        main.setPropertyPlaceholderLocations(settings.locations());
        // the packaged routes. Not in application.properties: camel run passes its files as the same
        // camel.main.routes-include-pattern, and a value there would replace them (camel run then loads nothing)
        main.configure().withRoutesIncludePattern(PACKAGED_ROUTES);
        if (cli.routesDir() != null) {
            String dir = cli.routesDir().toAbsolutePath().normalize().toString();
            main.addOverrideProperty("camel.main.routes-include-pattern", "file:" + dir + "/*.camel.yaml");
            main.addOverrideProperty("camel.main.routes-reload-enabled", "true");
            main.addOverrideProperty("camel.main.routes-reload-directory", dir);
        }
        if (!api) {
            main.addOverrideProperty("camel.main.route-filter-include-pattern",
                    settings.get("orders.command.consume.routes"));
            main.addOverrideProperty("camel.server.enabled", "false");
        }
        if (!sink) {
            main.addOverrideProperty("camel.main.route-filter-include-pattern",
                    settings.get("orders.command.produce.routes"));
            main.addOverrideProperty("orders.db.migrate", "false");
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                printBanner(settings, api, sink);
            }
        });
        // Camel's own hangup interceptor stops the routes gracefully on SIGTERM / Ctrl-C
        main.run();
        return main.getExitCode();
    }

    private static void requireFreePort(Settings settings, String hostKey, String portKey, String what) {
        String host = settings.get(hostKey);
        int port = settings.getInt(portKey);
        if (!Endpoints.canBind(host, port)) {
            throw new IllegalStateException(what + " port " + host + ":" + port + " is already in use (another"
                    + " order-pipeline?); set " + Settings.envName(portKey) + " to use another");
        }
    }

    /** Starts what is needed of the embedded broker and database; returns name to address of what it started. */
    private Map<String, String> startServices(Settings settings, boolean force, boolean kafka, boolean postgres)
            throws Exception {
        Map<String, String> started = new LinkedHashMap<>();
        Path dataDir = dataDir(settings);
        var address = Endpoints.firstBroker(settings.get("orders.kafka.brokers"));
        if (kafka && shouldEmbed(settings, force, "orders.embedded.kafka", "orders.kafka.brokers", address.host(),
                address.port())) {
            var broker = new EmbeddedKafkaBroker(address.host(), address.port(), dataDir.resolve("kafka"));
            services.add(0, broker);
            broker.start();
            started.put("Kafka", broker.bootstrapServers());
        }
        if (postgres) {
            var url = Endpoints.postgres(settings.get("orders.db.url"));
            if (shouldEmbed(settings, force, "orders.embedded.postgres", "orders.db.url", url.host(), url.port())) {
                var db = new EmbeddedPostgresDatabase(url.host(), url.port(), dataDir.resolve("postgres"),
                        url.database(), settings.get("orders.db.user"), settings.get("orders.db.password"));
                services.add(0, db);
                db.start();
                started.put("PostgreSQL", db.jdbcUrl());
            }
        }
        return started;
    }

    private boolean shouldEmbed(Settings settings, boolean force, String modeKey, String addressKey, String host,
            int port) {
        String mode = settings.get(modeKey);
        boolean listening = Endpoints.isListening(host, port);
        if (force || mode.equals("true")) {
            if (listening) {
                throw new IllegalStateException("cannot start the embedded service: " + host + ":" + port
                        + " is already in use");
            }
            return true;
        }
        if (mode.equals("false") || settings.isSetByUser(addressKey)) {
            return false;
        }
        if (!mode.equals("auto")) {
            throw new IllegalArgumentException(modeKey + " must be auto, true or false, got '" + mode + "'");
        }
        if (listening) {
            out.println("Using the service already listening at " + host + ":" + port + " (" + addressKey + ")");
            return false;
        }
        return true;
    }

    /**
     * Refused credentials stop the start with one line; a broker that does not answer is waited for (the pipeline
     * starts, answers 503 and reports it in readiness until it does).
     */
    private void checkKafka(Settings settings) throws Exception {
        KafkaClients kafka = KafkaClients.from(settings::find);
        String brokers = kafka.bootstrapServers();
        Duration timeout = Duration.ofMillis(settings.getInt("orders.kafka.startup-timeout-ms"));
        try (Admin admin = kafka.admin(timeout)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (causedBy(e, org.apache.kafka.common.errors.AuthenticationException.class)) {
                throw new IllegalStateException("Kafka at " + brokers + " refused the pipeline's credentials ("
                        + oneLine(e) + "); check ORDERS_KAFKA_SECURITY_PROTOCOL, ORDERS_KAFKA_SASL_* and"
                        + " ORDERS_KAFKA_SSL_*");
            }
            out.println("Kafka at " + brokers + " does not answer yet (waited " + timeout.toSeconds() + " s):"
                    + " starting anyway; orders get 503 and readiness is DOWN until it does");
        }
    }

    /** As {@link #checkKafka} for PostgreSQL: a failed TLS check or refused login stops the start. */
    private void checkDatabase(Settings settings) {
        String url = settings.get("orders.db.url");
        DriverManager.setLoginTimeout(Math.max(1, settings.getInt("orders.db.connect-timeout-ms") / 1000));
        try (Connection c = DriverManager.getConnection(url, settings.get("orders.db.user"),
                settings.get("orders.db.password"))) {
            c.isValid(5);
        } catch (Exception e) {
            if (causedBy(e, javax.net.ssl.SSLException.class)) {
                throw new IllegalStateException("PostgreSQL at " + Endpoints.redact(url) + " failed the TLS check: "
                        + oneLine(e) + "; check sslmode and sslrootcert in ORDERS_DB_URL");
            }
            if (e instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("28") || sql.getSQLState().startsWith("3D"))) {
                throw new IllegalStateException("PostgreSQL at " + Endpoints.redact(url) + " refused the login: "
                        + oneLine(e) + "; check ORDERS_DB_URL, ORDERS_DB_USER, ORDERS_DB_PASSWORD");
            }
            out.println("PostgreSQL at " + Endpoints.redact(url) + " does not answer yet (" + oneLine(e)
                    + "): starting anyway; the sink starts once it does");
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private void printBanner(Settings settings, boolean api, boolean sink) {
        out.println();
        out.println("order-pipeline " + version() + " is running (Ctrl-C to stop)");
        if (api) {
            out.printf("  API          http://%s:%s/orders  (POST JSON orders)%n",
                    settings.get("orders.http.host"), settings.get("orders.http.port"));
        }
        out.println("  Kafka        " + settings.get("orders.kafka.brokers") + "  topic "
                + settings.get("orders.kafka.topic") + ", dead letters " + settings.get("orders.kafka.dlt-topic"));
        if (sink) {
            out.println("  PostgreSQL   " + Endpoints.redact(settings.get("orders.db.url")) + "  user "
                    + settings.get("orders.db.user"));
        }
        String management = "http://" + settings.get("orders.management.host") + ":"
                + settings.get("orders.management.port");
        out.println("  health       " + management + "/observe/health");
        out.println("  Jolokia      " + management + "/observe/jolokia  (JMX over HTTP, for Hawtio)");
        if (Boolean.parseBoolean(settings.get("orders.management.dev-console"))) {
            out.println("  dev console  " + management + "/q/dev");
        }
        out.println("  JVM          " + jvm());
        out.println("  data dir     " + dataDir(settings));
        out.println();
    }

    /** Java version, heap limit and collector: what bin/order-pipeline (or the java command line) chose. */
    static String jvm() {
        String maxHeap;
        try {
            long bytes = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxHeapSize").getValue());
            maxHeap = (bytes >> 20) + " MB";
        } catch (RuntimeException notHotSpot) {
            maxHeap = (Runtime.getRuntime().maxMemory() >> 20) + " MB";
        }
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).sorted().collect(Collectors.joining(", "));
        return "Java " + Runtime.version() + ", heap up to " + maxHeap + ", collectors " + collectors;
    }

    private static Path dataDir(Settings settings) {
        return Path.of(settings.get("orders.data-dir")).toAbsolutePath().normalize();
    }

    private synchronized void closeServices() {
        for (AutoCloseable service : services) {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("order-pipeline: stopping " + service.getClass().getSimpleName() + ": " + oneLine(e));
            }
        }
        services.clear();
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String version() {
        String v = OrderPipeline.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null && !text.toString().contains(root.getMessage())) {
                text.append(": ").append(root.getMessage());
            }
        }
        return text.toString().replaceAll("\\s+", " ");
    }
}
