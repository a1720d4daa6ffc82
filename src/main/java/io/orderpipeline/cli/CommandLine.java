package io.orderpipeline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The parsed command line: the command, its own arguments, and the options every command takes. */
record CommandLine(String command, List<String> arguments, Path configFile, Path routesDir, boolean help,
                   boolean version) {

    private static final Set<String> COMMANDS = Set.of("run", "produce", "consume", "migrate", "services", "api-key",
            "dlq");

    static CommandLine parse(String[] args) {
        String command = "run";
        Path config = null;
        Path routes = null;
        boolean help = false;
        boolean version = false;
        List<String> arguments = new ArrayList<>();
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
                    } else if (commandSeen && command.equals("dlq")) {
                        arguments.add(arg); // dlq's subcommand and options: DeadLetterCommand reads them
                    } else if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg);
                    } else if (commandSeen && command.equals("api-key") && arguments.isEmpty()) {
                        arguments.add(arg);
                    } else if (commandSeen || !COMMANDS.contains(arg)) {
                        throw new UsageException("unknown command '" + arg + "'");
                    } else {
                        command = arg;
                        commandSeen = true;
                    }
                }
            }
        }
        if (command.equals("api-key") && arguments.isEmpty() && !help) {
            throw new UsageException("api-key needs the client id: api-key CLIENT");
        }
        return new CommandLine(command, List.copyOf(arguments), config, routes, help, version);
    }

    /** The command's first argument (api-key's client id, dlq's subcommand), or null. */
    String argument() {
        return arguments.isEmpty() ? null : arguments.get(0);
    }
}
