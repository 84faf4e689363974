package dev.vreg.host.identity;

import java.util.Locale;
import java.util.Optional;

/** A member's role in a group; each role may do everything the roles before it may. */
public enum Role {
    READER,
    MAINTAINER,
    OWNER;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        for (Role role : values()) {
            if (role.id().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
