package io.orderpipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run as its own process, the way a user starts it: {@code java -jar target/order-pipeline.jar}.
 * Its output goes to target/it-logs/NAME.log, which stays for reading after a failure.
 */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String name;

    private JarProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static JarProcess start(String name, Map<String, String> env, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("orderpipeline.jar", "target/order-pipeline.jar"));
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m"));
        command.addAll(QuickStart.options(jar));
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        JarProcess started = start(name, env, null, command);
        QuickStart.started(started.process, command, started::output);
        return started;
    }

    /**
     * The jar through the project's launcher, bin/order-pipeline, with its default JVM options (the ones in the
     * environment of the build, if any, are not passed on).
     */
    public static JarProcess launch(String name, Map<String, String> env, String... args) throws IOException {
        String jar = Path.of(System.getProperty("orderpipeline.jar", "target/order-pipeline.jar")).toAbsolutePath()
                .toString();
        Map<String, String> launcherEnv = new java.util.HashMap<>(env);
        launcherEnv.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        launcherEnv.putIfAbsent("ORDER_PIPELINE_JAR", jar);
        List<String> command = new ArrayList<>(List.of(Path.of("bin", "order-pipeline").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return start(name, launcherEnv, null, command);
    }

    /**
     * Any other program (another JVM, such as the Camel CLI), started in {@code workDir} (null: this directory)
     * with the same environment handling and log file as the jar.
     */
    public static JarProcess start(String name, Map<String, String> env, Path workDir, List<String> command)
            throws IOException {
        Path log = Files.createDirectories(Path.of("target", "it-logs"))
                .resolve(name + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().keySet().removeIf(k -> k.startsWith("ORDERS_") || k.startsWith("ORDER_PIPELINE_"));
        // every process gets its own management port unless the test chose one
        builder.environment().put("ORDERS_MANAGEMENT_PORT", String.valueOf(EmbeddedServices.freePort()));
        builder.environment().put("ORDERS_TRACING_EXPORTER", "none"); // no collector here
        builder.environment().putAll(env);
        return new JarProcess(name, builder.start(), log);
    }

    /** The java launcher of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits until the output contains the text, failing early if the process exits. */
    public JarProcess awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before printing '" + text
                        + "':\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print '" + text + "' within " + timeout + ":\n" + output());
            }
            Thread.sleep(100);
        }
        return this;
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM, as a service manager or Ctrl-C would. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL: no shutdown hook runs. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** Sends a signal by name (STOP freezes the process, CONT thaws it). */
    public void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed with " + exit);
        }
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process's resident memory now, in bytes (Linux: VmRSS of /proc/PID/status). */
    public long residentBytes() {
        return statusBytes("VmRSS:");
    }

    /** The most resident memory the process has had since it started, in bytes (VmHWM: no sample can miss it). */
    public long peakResidentBytes() {
        return statusBytes("VmHWM:");
    }

    private long statusBytes(String field) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process id, to find the processes it started (the embedded PostgreSQL's). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
