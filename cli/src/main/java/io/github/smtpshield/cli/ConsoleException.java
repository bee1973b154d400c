package io.github.smtpshield.cli;

/** What stopped a console command, in one line, and the command's exit status. */
final class ConsoleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** WebAdmin answered, with an error (or the command's argument was refused before asking). */
    static final int REFUSED = 1;
    /** WebAdmin could not be reached. */
    static final int CANNOT_REACH = 2;

    private final int exitStatus;

    ConsoleException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    int exitStatus() {
        return exitStatus;
    }
}
