package dev.vreg.host.identity;

import dev.vreg.host.secrets.CredentialCipher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions: short-lived JWTs (HS256) a personal token is exchanged for, so the web console and scripts need not keep
 * the long-lived token around. A session speaks for the token it came from, with that token's scopes, and never
 * outlives it; revoking the token, deleting its user or changing their roles applies to its sessions at once, because
 * every call still resolves the token (through the {@link Authenticator}'s cache). The signing key is generated once,
 * kept in the database so every node shares it, and encrypted there when {@code security.encryptionKey} is set.
 *
 * <p>A session can also be ended on its own (signing out): each carries a session id ({@code sid}) that its renewals
 * keep, and ending it records that id in {@code ended_sessions}. Every node holds the ended ids in memory, so checking
 * costs no database round trip, and reloads them on {@code NOTIFY vreg_auth}; ids are only ever added until their
 * sessions have expired, so a reload racing a local sign-out cannot bring the session back.
 */
public final class Sessions {

    /** What a valid session says. */
    public record Claims(long tokenId, long userId, Set<Scope> scopes, Instant expiresAt, String sessionId) {
    }

    /** A session just issued. */
    public record Issued(String token, Instant expiresAt, Set<Scope> scopes) {
    }

    private static final String ISSUER = "vreg";
    private static final String AUDIENCE = "vreg-api";
    private static final String ALGORITHM = "HS256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final JWTAuth jwt;
    private final Pool pool;
    private final Clock clock;
    private final Duration validity;
    /** Ended session ids, with the time after which no session of theirs can be valid any more. */
    private final Map<String, Instant> ended = new ConcurrentHashMap<>();

    private Sessions(JWTAuth jwt, Pool pool, Clock clock, Duration validity) {
        this.jwt = jwt;
        this.pool = pool;
        this.clock = clock;
        this.validity = validity;
    }

    /** Loads the signing key, creating it on the very first start of the first node. */
    public static Future<Sessions> load(Vertx vertx, Pool pool, Optional<CredentialCipher> cipher, Clock clock,
                                        Duration validity) {
        return pool.withTransaction(conn -> conn
                        .query("SELECT pg_advisory_xact_lock(hashtext('vreg.session_keys'))").execute()
                        .compose(v -> conn.query("SELECT id, secret, encrypted FROM session_keys "
                                + "ORDER BY created_at DESC, id LIMIT 1").execute())
                        .compose(rows -> {
                            if (rows.size() > 0) {
                                Row row = rows.iterator().next();
                                return Future.succeededFuture(new Key(row.getString("id"),
                                        secret(row, cipher)));
                            }
                            byte[] secret = new byte[32];
                            RANDOM.nextBytes(secret);
                            Key key = new Key(keyId(secret), secret);
                            return conn.preparedQuery(
                                            "INSERT INTO session_keys (id, secret, encrypted) VALUES ($1, $2, $3)")
                                    .execute(Tuple.of(key.id(), Buffer.buffer(cipher.map(c -> c.seal(secret))
                                            .orElse(secret)), cipher.isPresent()))
                                    .map(key);
                        }))
                .map(key -> new Sessions(JWTAuth.create(vertx, new JWTAuthOptions()
                        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setId(key.id())
                                .setBuffer(Buffer.buffer(key.secret())))
                        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE))
                                .setLeeway(5))), pool, clock, validity))
                .compose(sessions -> sessions.reloadEnded().map(sessions));
    }

    /**
     * Ends the session {@code claims} came from, and every session renewed from it, on every node: recorded in the
     * database (with a notification every node follows) and at once on this node.
     */
    public Future<Void> end(Claims claims) {
        Instant now = clock.instant();
        // A renewal issued up to now lives at most one validity from now; the presented session may end later only
        // if the validity was longer when it was issued.
        Instant until = max(claims.expiresAt(), now.plus(validity));
        return pool.withTransaction(conn -> conn
                        .query("DELETE FROM ended_sessions WHERE expires_at < now()").execute()
                        .compose(v -> conn.preparedQuery("INSERT INTO ended_sessions (session_id, expires_at) "
                                        + "VALUES ($1, $2) ON CONFLICT (session_id) DO NOTHING")
                                .execute(Tuple.of(claims.sessionId(), OffsetDateTime.ofInstant(until,
                                        ZoneOffset.UTC))))
                        .compose(v -> AuthChange.announce(conn)))
                .onSuccess(v -> ended.put(claims.sessionId(), until));
    }

    /** Adds the sessions other nodes ended to this node's, and forgets those that have expired since. */
    public Future<Void> reloadEnded() {
        return pool.query("SELECT session_id, expires_at FROM ended_sessions WHERE expires_at > now()").execute()
                .map(rows -> {
                    for (Row row : rows) {
                        ended.put(row.getString("session_id"), row.getOffsetDateTime("expires_at").toInstant());
                    }
                    Instant now = clock.instant();
                    ended.values().removeIf(until -> until.isBefore(now));
                    return (Void) null;
                })
                .onFailure(e -> LOG.warn("Could not read which sessions were ended: {}", e.toString()));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private record Key(String id, byte[] secret) {
    }

    /**
     * Seals every stored signing key with {@code cipher}'s current key: keys an older key sealed, and keys stored
     * before any key was configured. Under a row lock, so nodes starting together do not trip over each other;
     * answers how many keys were rewritten.
     */
    public static Future<Integer> rewrapKeys(Pool pool, CredentialCipher cipher) {
        return pool.withTransaction(conn -> conn
                .query("SELECT id, secret, encrypted FROM session_keys FOR UPDATE").execute()
                .compose(rows -> {
                    Future<Integer> done = Future.succeededFuture(0);
                    for (Row row : rows) {
                        byte[] stored = row.getBuffer("secret").getBytes();
                        boolean encrypted = row.getBoolean("encrypted");
                        if (encrypted && cipher.isCurrent(stored)) {
                            continue;
                        }
                        byte[] secret = encrypted ? cipher.open(stored) : stored;
                        String id = row.getString("id");
                        done = done.compose(n -> conn.preparedQuery(
                                        "UPDATE session_keys SET secret = $2, encrypted = TRUE WHERE id = $1")
                                .execute(Tuple.of(id, Buffer.buffer(cipher.seal(secret)))).map(n + 1));
                    }
                    return done;
                }));
    }

    private static byte[] secret(Row row, Optional<CredentialCipher> cipher) {
        byte[] stored = row.getBuffer("secret").getBytes();
        if (!row.getBoolean("encrypted")) {
            return stored;
        }
        return cipher.orElseThrow(() -> new IllegalStateException("the session signing key is encrypted, but "
                + "security.encryptionKey is not set")).open(stored);
    }

    private static String keyId(byte[] secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A session for {@code principal}: its token's scopes, valid for the configured time or until the token ends.
     *
     * @param renewed the session being renewed, whose session id the new one keeps; {@code null} for a new one
     */
    public Issued issue(Principal principal, Claims renewed) {
        Instant now = clock.instant();
        Instant expires = now.plus(validity);
        if (principal.expiresAt() != null && principal.expiresAt().isBefore(expires)) {
            expires = principal.expiresAt();
        }
        Set<Scope> scopes = principal.scopes();
        String jti = UUID.randomUUID().toString();
        JsonObject claims = new JsonObject()
                .put("sub", Long.toString(principal.userId()))
                .put("tid", principal.tokenId())
                .put("scope", scopes.stream().map(Scope::id).sorted().collect(Collectors.joining(" ")))
                .put("jti", jti)
                .put("sid", renewed != null ? renewed.sessionId() : jti)
                .put("iat", now.getEpochSecond())
                .put("exp", expires.getEpochSecond());
        String token = jwt.generateToken(claims, new JWTOptions().setAlgorithm(ALGORITHM).setIssuer(ISSUER)
                .setAudience(List.of(AUDIENCE)).setNoTimestamp(true));
        return new Issued(token, Instant.ofEpochSecond(expires.getEpochSecond()), scopes);
    }

    /** Whether {@code token} has the shape of a session rather than of a {@code vreg_} token. */
    public static boolean looksLikeSession(String token) {
        return token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The claims of a session this instance signed that has not expired; empty for anything else. */
    public Future<Optional<Claims>> verify(String token) {
        return jwt.authenticate(new TokenCredentials(token)).map(user -> {
            // The library keeps the verified claims under the attribute its root claim names.
            JsonObject claims = user.attributes().getJsonObject(user.attributes().getString("rootClaim"));
            if (claims == null || claims.getValue("tid") == null || claims.getValue("sub") == null) {
                return Optional.<Claims>empty();
            }
            Instant expires = Instant.ofEpochSecond(claims.getLong("exp", 0L));
            if (!expires.isAfter(clock.instant())) {
                return Optional.<Claims>empty();
            }
            // Sessions issued before session ids existed are their own session.
            String sessionId = claims.getString("sid", claims.getString("jti"));
            if (sessionId == null || ended.containsKey(sessionId)) {
                return Optional.<Claims>empty();
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String name : claims.getString("scope", "").split(" ")) {
                Scope.parse(name).ifPresent(scopes::add);
            }
            return Optional.of(new Claims(claims.getLong("tid"), Long.parseLong(claims.getString("sub")),
                    Set.copyOf(scopes), expires, sessionId));
        }).otherwise(e -> Optional.empty());
    }
}
