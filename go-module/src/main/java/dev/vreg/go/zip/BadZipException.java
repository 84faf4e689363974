package dev.vreg.go.zip;

/** The archive breaks a zip format or module zip rule; the message names the rule. */
public final class BadZipException extends Exception {

    BadZipException(String message) {
        super(message, null, false, false);
    }
}
