package io.orderpipeline.cli;

/** A command line that cannot be understood; reported with a hint to --help and exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
