package io.orderpipeline.cli;

import java.nio.file.Path;
import java.util.Set;

/** The parsed command line. */
record CommandLine(String command, String argument, Path configFile, Path routesDir, boolean help, boolean version) {

    private static final Set<String> COMMANDS = Set.of("run", "produce", "consume", "migrate", "services", "api-key");

    static CommandLine parse(String[] args) {
        String command = "run";
        Path config = null;
        Path routes = null;
        boolean help = false;
        boolean version = false;
        String argument = null;
        boolean commandSeen = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> help = true;
                case "-V", "--version" -> version = true;
                case "-c", "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException(arg + " needs a file");
                    }
                    config = Path.of(args[++i]);
                }
                case "--routes" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException(arg + " needs a directory");
                    }
                    routes = Path.of(args[++i]);
                }
                default -> {
                    if (arg.startsWith("--config=")) {
                        config = Path.of(arg.substring("--config=".length()));
                    } else if (arg.startsWith("--routes=")) {
                        routes = Path.of(arg.substring("--routes=".length()));
                    } else if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg);
                    } else if (commandSeen && command.equals("api-key") && argument == null) {
                        argument = arg;
                    } else if (commandSeen || !COMMANDS.contains(arg)) {
                        throw new UsageException("unknown command '" + arg + "'");
                    } else {
                        command = arg;
                        commandSeen = true;
                    }
                }
            }
        }
        if (command.equals("api-key") && argument == null && !help) {
            throw new UsageException("api-key needs the client id: api-key CLIENT");
        }
        return new CommandLine(command, argument, config, routes, help, version);
    }
}
