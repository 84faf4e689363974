package dev.vreg.host;

/** The platform version plugins are checked against (their {@code Plugin-Requires}). */
public final class Version {

    public static final String PLATFORM = "0.1.0";

    private Version() {
    }
}
