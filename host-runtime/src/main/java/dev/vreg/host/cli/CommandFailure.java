package dev.vreg.host.cli;

/**
 * A command could not do its work for a reason the operator can act on, such as a user that does not exist. The
 * message is printed as it is and the command exits with 1; invalid arguments exit with 2 instead.
 */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
