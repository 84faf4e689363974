package dev.vreg.go.sumdb;

/** A checksum database answer that breaks a rule of the format (a malformed note, a bad signature, a failed proof). */
public final class SumdbException extends Exception {

    public SumdbException(String message) {
        super(message);
    }
}
