package dev.vreg.host.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code tokens} table: personal tokens (acting as their user) and deploy tokens (pulling from one group). A
 * token is made here and nowhere else: its value ({@link Tokens#generate()}), of which only the hash is kept, its
 * scopes and its expiry. Tokens are looked up by hash for authentication, and their last use is recorded in batches.
 * Revoking a token tells every node at once ({@code NOTIFY vreg_auth}).
 */
public final class TokenStore {

    /** A token as it is listed: never its value nor its hash. */
    public record TokenInfo(long id, String kind, String name, List<String> scopes, Instant expiresAt,
                            Instant lastUsedAt, Instant createdAt) {
    }

    /** A token just created, with its value, which is not stored and so can be shown only now. */
    public record Issued(String token, TokenInfo info) {
    }

    /** A personal token revoked by its id alone: whose it was. */
    public record Revoked(long id, String name, String username) {
    }

    /** The scopes of a personal token when none are asked for: all for the instance admin, else read and write. */
    public static final List<Scope> ADMIN_DEFAULT = List.of(Scope.values());
    public static final List<Scope> USER_DEFAULT = List.of(Scope.READ, Scope.WRITE);

    private static final String COLUMNS = "id, kind, name, scopes, expires_at, last_used_at, created_at";

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

    public TokenStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * A new personal token with a generated value for user {@code username}; empty when there is no such user.
     *
     * @param scopes    the token's scopes in the order given (duplicates dropped); {@code null} for the user's
     *                  default, {@link #ADMIN_DEFAULT} or {@link #USER_DEFAULT}
     * @param expiresAt when the token stops working; {@code null} for never
     */
    public Future<Optional<Issued>> createPersonal(String username, String name, List<Scope> scopes,
                                                   Instant expiresAt) {
        return createPersonal(pool, username, name, scopes, expiresAt, Tokens.generate());
    }

    /**
     * As {@link #createPersonal(String, String, List, Instant)}, with a value the operator chose, through
     * {@code client} (a connection whose transaction also made the user, for one).
     */
    public Future<Optional<Issued>> createPersonal(SqlClient client, String username, String name,
                                                   List<Scope> scopes, Instant expiresAt, String token) {
        if (!Tokens.acceptable(token)) {
            return Future.failedFuture(new IllegalArgumentException("a token must be at least 32 printable "
                    + "characters without spaces"));
        }
        if (scopes != null && scopes.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("a token needs at least one scope"));
        }
        String[] names = scopes == null ? null : scopes.stream().distinct().map(Scope::id).toArray(String[]::new);
        return client.preparedQuery("""
                        INSERT INTO tokens (kind, name, user_id, hash, scopes, expires_at)
                        SELECT 'personal', $2, id, $3, COALESCE($4::text[], CASE WHEN admin THEN $6::text[]
                                                                            ELSE $7::text[] END), $5
                          FROM users WHERE username = $1
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(new Object[] {username, name, Tokens.hash(token), names, utc(expiresAt),
                        ids(ADMIN_DEFAULT), ids(USER_DEFAULT)}))
                .map(rows -> first(rows).map(row -> new Issued(token, info(row))));
    }

    /** A user's personal tokens, oldest first; empty when there is no such user. */
    public Future<Optional<List<TokenInfo>>> listPersonal(String username) {
        return pool.preparedQuery("""
                        SELECT u.id AS user_id, t.id, t.kind, t.name, t.scopes, t.expires_at, t.last_used_at,
                               t.created_at
                          FROM users u LEFT JOIN tokens t ON t.user_id = u.id
                         WHERE u.username = $1 ORDER BY t.id""")
                .execute(Tuple.of(username))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    List<TokenInfo> tokens = new ArrayList<>();
                    rows.forEach(row -> {
                        if (row.getValue("id") != null) {
                            tokens.add(info(row));
                        }
                    });
                    return Optional.of(List.copyOf(tokens));
                });
    }

    /** Revokes personal token {@code id} of user {@code username}; false when that user has no such token. */
    public Future<Boolean> revokePersonal(String username, long id) {
        return revoke("""
                DELETE FROM tokens WHERE id = $1 AND user_id = (SELECT id FROM users WHERE username = $2)
                RETURNING id""", Tuple.of(id, username)).map(Optional::isPresent);
    }

    /** Revokes personal token {@code id}, whoever's it is; empty when there is no such personal token. */
    public Future<Optional<Revoked>> revokePersonal(long id) {
        return revoke("""
                DELETE FROM tokens t USING users u
                 WHERE t.id = $1 AND t.kind = 'personal' AND u.id = t.user_id
                RETURNING t.id, t.name, u.username""", Tuple.of(id))
                .map(row -> row.map(r -> new Revoked(r.getLong("id"), r.getString("name"), r.getString("username"))));
    }

    /** A new deploy token of group {@code groupId}: it may only pull ({@code read}) from that group. */
    public Future<Issued> createDeploy(long groupId, String name, Instant expiresAt) {
        String token = Tokens.generate();
        return pool.preparedQuery("INSERT INTO tokens (kind, name, group_id, hash, scopes, expires_at) "
                        + "VALUES ('deploy', $1, $2, $3, ARRAY['read'], $4) RETURNING " + COLUMNS)
                .execute(Tuple.of(name, groupId, Tokens.hash(token), utc(expiresAt)))
                .map(rows -> new Issued(token, info(rows.iterator().next())));
    }

    /** A group's deploy tokens, oldest first. */
    public Future<List<TokenInfo>> listDeploy(long groupId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM tokens WHERE group_id = $1 ORDER BY id")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    List<TokenInfo> tokens = new ArrayList<>();
                    rows.forEach(row -> tokens.add(info(row)));
                    return List.copyOf(tokens);
                });
    }

    /** Revokes deploy token {@code id} of group {@code groupId}; false when the group has no such token. */
    public Future<Boolean> revokeDeploy(long groupId, long id) {
        return revoke("DELETE FROM tokens WHERE id = $1 AND group_id = $2 RETURNING id", Tuple.of(id, groupId))
                .map(Optional::isPresent);
    }

    /** Deletes the token {@code delete} returns and tells every node; the transaction does nothing if none is. */
    private Future<Optional<Row>> revoke(String delete, Tuple arguments) {
        return pool.withTransaction(conn -> conn.preparedQuery(delete).execute(arguments)
                .compose(rows -> {
                    Optional<Row> row = first(rows);
                    return row.isEmpty() ? Future.succeededFuture(row) : AuthChange.announce(conn).map(row);
                }));
    }

    /** The token whose hash is {@code hash}, expired or not: the caller decides what expiry means. */
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
                .map(rows -> first(rows).map(TokenStore::principal));
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

    private static Principal principal(Row row) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(row.getArrayOfStrings("scopes")).forEach(s -> Scope.parse(s).ifPresent(scopes::add));
        Map<String, Role> roles = new HashMap<>();
        Object json = row.getValue("roles");
        if (json instanceof JsonObject object) {
            object.forEach(e -> Role.parse(String.valueOf(e.getValue())).ifPresent(r -> roles.put(e.getKey(), r)));
        }
        return new Principal(row.getLong("id"), row.getString("hash"), "deploy".equals(row.getString("kind")),
                row.getLong("user_id"), row.getString("username"), row.getBoolean("admin"), Set.copyOf(scopes),
                instant(row, "expires_at"), row.getString("deploy_group"), Map.copyOf(roles));
    }

    private static TokenInfo info(Row row) {
        return new TokenInfo(row.getLong("id"), row.getString("kind"), row.getString("name"),
                List.of(row.getArrayOfStrings("scopes")), instant(row, "expires_at"), instant(row, "last_used_at"),
                instant(row, "created_at"));
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String[] ids(List<Scope> scopes) {
        return scopes.stream().map(Scope::id).toArray(String[]::new);
    }
}
