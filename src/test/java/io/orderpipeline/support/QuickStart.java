package io.orderpipeline.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * JVM options that only make the jar processes the tests start cost less CPU to start, which on a 2-core machine is
 * the build's time (bench/README.md, "The build's minutes"): C1 alone, as these processes live seconds to a minute,
 * and a class-data archive of the jar's classes (AppCDS), written by the first pipeline process that ran and exited
 * normally and used by every later one. Neither changes what the program does; the launcher's own options are tested
 * through {@link JarProcess#launch}.
 */
final class QuickStart {

    private static final Path DIR = Path.of("target", "it-cds");
    private static final AtomicBoolean DUMPING = new AtomicBoolean();

    private QuickStart() {
    }

    static List<String> options(Path jar) {
        // (no CDS warnings in the output the tests read: a class the archive cannot take is simply loaded as usual)
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-Xlog:cds*=off"));
        Path archive = archive(jar);
        if (archive == null) {
            return options;
        }
        if (Files.exists(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
        } else if (DUMPING.compareAndSet(false, true)) {
            options.add("-XX:ArchiveClassesAtExit=" + dumping(archive));
        }
        return options;
    }

    /** Once the dumping process has exited: its archive is kept if it had run the pipeline, else the next one tries. */
    static void started(Process process, List<String> command, Supplier<String> output) {
        String dump = command.stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit=")).findFirst().orElse(null);
        if (dump == null) {
            return;
        }
        Path dumped = Path.of(dump.substring(dump.indexOf('=') + 1));
        process.onExit().thenRun(() -> {
            try {
                if (Files.size(dumped) > 0 && output.get().contains("is running")) {
                    Files.move(dumped, Path.of(dumped.toString().replace(".dumping", "")),
                            StandardCopyOption.ATOMIC_MOVE);
                    return;
                }
                Files.deleteIfExists(dumped);
            } catch (IOException e) {
                // nothing dumped: the next process tries
            }
            DUMPING.set(false);
        });
    }

    /** The archive for this very jar (its size and time in the name), or null where the JDK has no base archive. */
    private static Path archive(Path jar) {
        Path base = Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa");
        try {
            if (!Files.exists(base) || !Files.exists(jar)) {
                return null;
            }
            Files.createDirectories(DIR);
            return DIR.resolve("pipeline-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis()
                    + ".jsa");
        } catch (IOException e) {
            return null;
        }
    }

    private static Path dumping(Path archive) {
        return Path.of(archive + ".dumping");
    }
}
