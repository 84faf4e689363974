package dev.vreg.host.identity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who a valid token speaks for, with the roles it carries.
 *
 * @param userId      the user of a personal token; {@code null} for a deploy token
 * @param deployGroup the group of a deploy token; {@code null} for a personal token
 * @param roles       the user's role per group name
 */
public record Principal(long tokenId, String tokenHash, boolean deploy, Long userId, String username, boolean admin,
                        Set<Scope> scopes, Instant expiresAt, String deployGroup, Map<String, Role> roles) {

    /**
     * What a session made from this token may do: the token's scopes that the session carries, until the earlier of
     * the two expiries. Empty when the session does not belong to this token's user, or the token is a deploy token.
     */
    public Optional<Principal> forSession(Sessions.Claims session) {
        if (deploy || userId == null || userId != session.userId()) {
            return Optional.empty();
        }
        Set<Scope> narrowed = scopes.stream().filter(session.scopes()::contains)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        Instant expires = expiresAt == null || session.expiresAt().isBefore(expiresAt) ? session.expiresAt()
                : expiresAt;
        return Optional.of(new Principal(tokenId, tokenHash, false, userId, username, admin, narrowed, expires, null,
                roles));
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    public boolean hasScope(Scope needed) {
        return scopes.stream().anyMatch(s -> s.includes(needed));
    }

    /** The role this token carries in {@code group}; the instance admin counts as owner everywhere. */
    public Optional<Role> roleIn(String group) {
        if (deploy) {
            return group.equals(deployGroup) ? Optional.of(Role.READER) : Optional.empty();
        }
        if (admin) {
            return Optional.of(Role.OWNER);
        }
        return Optional.ofNullable(roles.get(group));
    }

    public boolean canPull(String group) {
        return hasScope(Scope.READ) && roleIn(group).isPresent();
    }
}
