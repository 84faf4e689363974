package dev.vreg.host.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Looks tokens up by hash for authentication, and records when they were last used. */
public final class TokenRepository {

    private static final String FIND = """
            SELECT t.id, t.kind, t.hash, t.scopes, t.expires_at, t.user_id, u.username,
                   COALESCE(u.admin, FALSE) AS admin, dg.name AS deploy_group,
                   COALESCE((SELECT json_object_agg(g.name, m.role)
                               FROM memberships m JOIN groups g ON g.id = m.group_id
                              WHERE m.user_id = t.user_id), '{}'::json) AS roles
              FROM tokens t
              LEFT JOIN users u ON u.id = t.user_id
              LEFT JOIN groups dg ON dg.id = t.group_id
            """;

    private final Pool pool;

    public TokenRepository(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<Principal>> findByHash(String hash) {
        return pool.preparedQuery(FIND + " WHERE t.hash = $1").execute(Tuple.of(hash)).map(rows -> {
            for (Row row : rows) {
                // The index found the row; the constant-time comparison keeps the final check free of timing signal.
                if (Tokens.sameHash(hash, row.getString("hash"))) {
                    return Optional.of(principal(row));
                }
            }
            return Optional.empty();
        });
    }

    /** The token with id {@code id}, which a session speaks for. */
    public Future<Optional<Principal>> findById(long id) {
        return pool.preparedQuery(FIND + " WHERE t.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(principal(rows.iterator().next())));
    }

    private static Principal principal(Row row) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(row.getArrayOfStrings("scopes")).forEach(s -> Scope.parse(s).ifPresent(scopes::add));
        Map<String, Role> roles = new HashMap<>();
        Object json = row.getValue("roles");
        if (json instanceof JsonObject object) {
            object.forEach(e -> Role.parse(String.valueOf(e.getValue())).ifPresent(r -> roles.put(e.getKey(), r)));
        }
        OffsetDateTime expires = row.getOffsetDateTime("expires_at");
        return new Principal(row.getLong("id"), row.getString("hash"), "deploy".equals(row.getString("kind")),
                row.getLong("user_id"), row.getString("username"), row.getBoolean("admin"), Set.copyOf(scopes),
                expires == null ? null : expires.toInstant(), row.getString("deploy_group"), Map.copyOf(roles));
    }

    /** Moves {@code last_used_at} forward for a batch of tokens in one statement. */
    public Future<Void> touch(Map<Long, Instant> lastUsed) {
        if (lastUsed.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Map.Entry<Long, Instant>> entries = List.copyOf(lastUsed.entrySet());
        Long[] ids = entries.stream().map(Map.Entry::getKey).toArray(Long[]::new);
        OffsetDateTime[] times = entries.stream().map(e -> e.getValue().atOffset(ZoneOffset.UTC))
                .toArray(OffsetDateTime[]::new);
        return pool.preparedQuery("""
                        UPDATE tokens t SET last_used_at = v.at
                          FROM unnest($1::bigint[], $2::timestamptz[]) AS v(id, at)
                         WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at)""")
                .execute(Tuple.tuple().addValue(ids).addValue(times)).mapEmpty();
    }
}
