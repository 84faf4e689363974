package dev.vreg.host.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * What a token may be used for: {@code read} pulls packages and reads the admin API, {@code write} also changes
 * configuration, {@code admin} also does what only the instance admin may (users). Each includes the ones before.
 */
public enum Scope {
    READ,
    WRITE,
    ADMIN;

    public boolean includes(Scope other) {
        return compareTo(other) >= 0;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String value) {
        for (Scope scope : values()) {
            if (scope.id().equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
