package dev.vreg.host.sumdb;

import java.util.Locale;

/** What a registry does with a public module's file whose hash its checksum database does not confirm. */
public enum Verification {
    /** Nothing is checked. */
    OFF,
    /** Checked; a file that fails is still served, and the failure logged and counted. */
    WARN,
    /** Checked; a file that fails is refused with a 403 and never cached. */
    ENFORCE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code id}, or {@code null}. */
    public static Verification of(String id) {
        for (Verification v : values()) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        return null;
    }
}
