package io.orderpipeline.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test certificate authority and a server certificate for 127.0.0.1/localhost signed by it, made at run time with
 * the JDK's keytool (no private key is committed). Files: {@code ca.pem}, and {@code server.p12} holding the server's
 * key, its certificate and the CA's, all protected by {@link #PASSWORD}.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-store-secret";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    private static TestCertificates shared;

    /**
     * This JVM's CA and server certificate, made once for every TLS test that needs a trusted one (the broker's, the
     * database's, the API's and its clients'): each keytool call is a JVM of its own.
     */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            shared = create("shared");
        }
        return shared;
    }

    /** A new CA and server certificate in a new directory under target/test-data (another CA than shared()'s). */
    public static TestCertificates create(String name) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), name + "-");
            TestCertificates certs = new TestCertificates(dir.toAbsolutePath());
            certs.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=order-pipeline test CA", "-ext", "bc:c", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", "ca.p12", "-storepass", PASSWORD);
            certs.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD,
                    "-file", "ca.pem");
            certs.keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", "server.p12", "-storepass", PASSWORD);
            certs.keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", PASSWORD,
                    "-file", "server.csr");
            certs.keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD,
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-rfc",
                    "-infile", "server.csr", "-outfile", "server.pem");
            certs.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem",
                    "-keystore", "server.p12", "-storepass", PASSWORD);
            certs.keytool("-importcert", "-alias", "server", "-file", "server.pem",
                    "-keystore", "server.p12", "-storepass", PASSWORD);
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    public Path serverKeystore() {
        return dir.resolve("server.p12");
    }

    public Path serverCertificatePem() {
        return dir.resolve("server.pem");
    }

    public Path dir() {
        return dir;
    }

    /** The server's private key as PKCS#8 PEM, readable by its owner only (as PostgreSQL requires). */
    public Path serverKeyPem() {
        Path file = dir.resolve("server.key");
        if (Files.exists(file)) {
            return file;
        }
        try (InputStream in = Files.newInputStream(serverKeystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            byte[] key = store.getKey("server", PASSWORD.toCharArray()).getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key)
                    + "\n-----END PRIVATE KEY-----\n";
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A PKCS12 keystore holding one RSA key pair under the alias {@code RS256}, as Vert.x's JWT support expects of a
     * keystore of signing keys, and that key pair for signing tokens.
     */
    public static java.security.KeyPair jwtSigningKeystore(Path keystore) {
        try {
            TestCertificates tool = new TestCertificates(keystore.toAbsolutePath().getParent());
            tool.keytool("-genkeypair", "-alias", "RS256", "-keyalg", "RSA", "-keysize", "2048",
                    "-sigalg", "SHA256withRSA", "-dname", "CN=token signer", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.getFileName().toString(), "-storepass", PASSWORD);
            try (InputStream in = Files.newInputStream(keystore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, PASSWORD.toCharArray());
                return new java.security.KeyPair(store.getCertificate("RS256").getPublicKey(),
                        (java.security.PrivateKey) store.getKey("RS256", PASSWORD.toCharArray()));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS12 trust store holding only this CA's certificate (for the server's side of client certificates). */
    public synchronized Path caTruststore() {
        Path file = dir.resolve("ca-trust.p12");
        try {
            if (!Files.exists(file)) {
                keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-storetype", "PKCS12",
                        "-keystore", "ca-trust.p12", "-storepass", PASSWORD);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PKCS12 keystore with a client key and a certificate for {@code CN=commonName} signed by this CA. */
    public synchronized Path clientKeystore(String commonName) {
        String name = "client-" + commonName.replaceAll("[^A-Za-z0-9-]", "_");
        if (Files.exists(dir.resolve(name + ".p12"))) {
            return dir.resolve(name + ".p12"); // made for another test of this JVM (shared())
        }
        try {
            keyPair(name, commonName);
            keytool("-certreq", "-alias", "client", "-keystore", name + ".p12", "-storepass", PASSWORD,
                    "-file", name + ".csr");
            keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD,
                    "-validity", "2", "-rfc", "-infile", name + ".csr", "-outfile", name + ".pem");
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem",
                    "-keystore", name + ".p12", "-storepass", PASSWORD);
            keytool("-importcert", "-alias", "client", "-file", name + ".pem",
                    "-keystore", name + ".p12", "-storepass", PASSWORD);
            return dir.resolve(name + ".p12");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PKCS12 keystore with a client key and a self-signed certificate for {@code CN=commonName}: no CA vouches. */
    public synchronized Path selfSignedClientKeystore(String commonName) {
        String name = "self-signed-" + commonName.replaceAll("[^A-Za-z0-9-]", "_");
        if (Files.exists(dir.resolve(name + ".p12"))) {
            return dir.resolve(name + ".p12");
        }
        try {
            keyPair(name, commonName);
            return dir.resolve(name + ".p12");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code name}.p12: a key pair under the alias {@code client}, its certificate self-signed for the CN. */
    private void keyPair(String name, String commonName) throws IOException {
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=" + commonName, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", name + ".p12", "-storepass", PASSWORD);
    }

    /** An SSLContext that trusts only this CA and presents the client certificate of {@code clientKeystore}. */
    public SSLContext clientContext(Path clientKeystore) {
        try (InputStream in = Files.newInputStream(clientKeystore)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSLContext that trusts only this CA. */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private javax.net.ssl.TrustManager[] trustManagers() {
        try (InputStream in = Files.newInputStream(caPem())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
