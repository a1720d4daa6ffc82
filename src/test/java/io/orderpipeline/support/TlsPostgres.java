package io.orderpipeline.support;

import java.nio.file.Path;

import io.orderpipeline.devservices.EmbeddedPostgresDatabase;

/** A second embedded PostgreSQL that serves TLS with a test-made certificate for localhost. Started once per JVM. */
public final class TlsPostgres {

    private static TlsPostgres instance;

    private final TestCertificates certificates = TestCertificates.shared();
    private final int port = EmbeddedServices.freePort();

    private TlsPostgres() {
    }

    public static synchronized TlsPostgres get() {
        if (instance == null) {
            TlsPostgres postgres = new TlsPostgres();
            try {
                EmbeddedPostgresDatabase db = new EmbeddedPostgresDatabase("127.0.0.1", postgres.port,
                        postgres.certificates.dir().resolve("pgdata"), "orders", "orders", "orders")
                        .withTls(postgres.certificates.serverCertificatePem(), postgres.certificates.serverKeyPem());
                db.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        db.close();
                    } catch (Exception e) {
                        // the JVM is ending
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("could not start PostgreSQL with TLS", e);
            }
            instance = postgres;
        }
        return instance;
    }

    /** Its JDBC URL with {@code sslmode=verify-full}, trusting the given CA. */
    public String url(Path ca) {
        return "jdbc:postgresql://localhost:" + port + "/orders?sslmode=verify-full&sslrootcert=" + ca;
    }

    /** Its JDBC URL trusting the CA that signed its certificate. */
    public String url() {
        return url(certificates.caPem());
    }
}
