package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of the shipped route files (src/main/resources/routes) that a test may edit, as a user would. */
public final class ShippedRoutes {

    private ShippedRoutes() {
    }

    /** A new directory under target/ holding a copy of every shipped route file; its absolute path. */
    public static Path copy(String prefix) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), prefix);
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
