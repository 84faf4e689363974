package dev.vreg.host.admin;

import dev.vreg.host.auth.Role;

/** A group the caller may act in, with the role they act as. */
public record GroupRef(long id, String name, Role role) {
}
