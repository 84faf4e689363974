package dev.vreg.host.db.postgres;

import java.io.IOException;

/**
 * The data directory's lock is held by another vreg process (or another instance in this one). A distinct type,
 * because a tool that must work beside a running vreg reaches that vreg's server instead of starting its own.
 */
public final class DataDirInUseException extends IOException {

    private static final long serialVersionUID = 1L;

    DataDirInUseException(String message) {
        super(message);
    }
}
