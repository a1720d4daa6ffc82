package io.orderpipeline.platform.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's clients and the SHA-256 hashes of their keys, from a file of {@code client-id:sha256-hex} lines (blank
 * lines and {@code #} comments allowed; a client may have several lines, e.g. while its key is rotated). Only hashes
 * are kept, on disk and here. The file is read again every second while the context runs: an edit takes effect
 * without a restart; an edit that does not parse is logged and the last good keys stay in use.
 */
public final class ApiKeys extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Client(String id, byte[] keyHash) {
    }

    private final Path file;
    private final CamelContext context;
    private volatile List<Client> clients;
    private byte[] lastContent;
    private ScheduledExecutorService reloader;

    /** Reads the file now: a missing or malformed file fails here, at start-up, with the line at fault. */
    public ApiKeys(Path file, CamelContext context) {
        this.file = file;
        this.context = context;
        try {
            this.lastContent = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("API keys file " + file + " (orders.http.api-keys-file) cannot be"
                    + " read: " + e, e);
        }
        this.clients = parse(lastContent);
    }

    /** @return the client whose key this is, compared in constant time against every key on file */
    public Optional<String> clientFor(String key) {
        byte[] hash = sha256(key.getBytes(StandardCharsets.UTF_8));
        String found = null;
        for (Client client : clients) {
            // no early exit: the time taken does not tell which line matched, or whether one did
            if (MessageDigest.isEqual(hash, client.keyHash()) && found == null) {
                found = client.id();
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return clients.size();
    }

    /** Reads the file again if its content changed. */
    void reload() {
        try {
            byte[] content = Files.readAllBytes(file);
            if (Arrays.equals(content, lastContent)) {
                return;
            }
            lastContent = content;
            clients = parse(content);
            LOG.info("API keys reloaded from {}: {} keys", file, clients.size());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("API keys file {} not reloaded, the previous keys stay in use: {}", file, e.getMessage());
        }
    }

    @Override
    protected void doStart() {
        reloader = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "api-keys-reload");
        reloader.scheduleWithFixedDelay(this::reload, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (reloader != null) {
            context.getExecutorServiceManager().shutdown(reloader);
            reloader = null;
        }
    }

    private List<Client> parse(byte[] content) {
        List<Client> parsed = new ArrayList<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.lastIndexOf(':');
            String id = colon < 0 ? "" : line.substring(0, colon).strip();
            String hash = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (!CLIENT_ID.matcher(id).matches() || !SHA256_HEX.matcher(hash).matches()) {
                // the line is not echoed: it may hold a key pasted by mistake
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not client-id:sha256-hex"
                        + " (client ids: 1-64 of A-Z a-z 0-9 . _ @ -)");
            }
            parsed.add(new Client(id, HexFormat.of().parseHex(hash.toLowerCase())));
        }
        return List.copyOf(parsed);
    }

    /** A new random key (256 bits, base64url) and the line that gives it to {@code clientId}. */
    public static String[] newKey(String clientId) {
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("client id '" + clientId + "' must be 1-64 of A-Z a-z 0-9 . _ @ -");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new String[] {key, clientId + ":" + HexFormat.of().formatHex(sha256(key.getBytes(StandardCharsets.UTF_8)))};
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }
}
