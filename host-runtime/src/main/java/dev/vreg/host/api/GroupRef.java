package dev.vreg.host.api;

import dev.vreg.host.identity.Role;

/** A group the caller may act in, with the role they act as. */
public record GroupRef(long id, String name, Role role) {
}
