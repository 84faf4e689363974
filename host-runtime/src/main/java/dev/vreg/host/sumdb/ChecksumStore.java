package dev.vreg.host.sumdb;

import dev.vreg.host.db.Notify;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one writer of the checksum database tables: registry settings (a change tells every node, {@link Notify#config}),
 * cached answers, verified trees and forks.
 */
public final class ChecksumStore {

    /** A full tile kept in the blob store. */
    public record StoredTile(String digest, long size) {
    }

    /** A changing answer and when it was fetched. */
    public record StoredAnswer(Buffer body, String contentType, Instant fetchedAt) {
    }

    private final Pool pool;

    public ChecksumStore(Pool pool) {
        this.pool = pool;
    }

    /** The registry's settings, or empty when it has the defaults. */
    public Future<Optional<ChecksumSettings>> settings(long registryId) {
        return pool.preparedQuery("SELECT verification, databases, private_patterns, answer_validity_seconds "
                        + "FROM registry_checksum_settings WHERE registry_id = $1")
                .execute(Tuple.of(registryId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    List<ChecksumDb> dbs = new ArrayList<>();
                    JsonArray array = (JsonArray) row.getValue("databases");
                    for (int i = 0; i < array.size(); i++) {
                        JsonObject db = array.getJsonObject(i);
                        String key = db.getString("key");
                        dbs.add(new ChecksumDb(key.substring(0, key.indexOf('+')), key, db.getString("url")));
                    }
                    return Optional.of(new ChecksumSettings(Verification.of(row.getString("verification")), dbs,
                            List.of(row.getArrayOfStrings("private_patterns")),
                            Duration.ofSeconds(row.getInteger("answer_validity_seconds"))));
                });
    }

    public Future<Void> saveSettings(long registryId, ChecksumSettings settings) {
        JsonArray dbs = new JsonArray();
        settings.databases().forEach(d -> dbs.add(new JsonObject().put("key", d.key()).put("url", d.url())));
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO registry_checksum_settings (registry_id, verification, databases, private_patterns,
                                                                answer_validity_seconds)
                        VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (registry_id) DO UPDATE SET verification = EXCLUDED.verification,
                            databases = EXCLUDED.databases, private_patterns = EXCLUDED.private_patterns,
                            answer_validity_seconds = EXCLUDED.answer_validity_seconds, updated_at = now()""")
                .execute(Tuple.of(registryId, settings.verification().id(), dbs,
                        settings.privatePatterns().toArray(String[]::new),
                        (int) settings.answerValidity().toSeconds()))
                .compose(v -> Notify.config(conn)))
                .mapEmpty();
    }

    public Future<Optional<StoredTile>> tile(String databaseKey, String path) {
        return pool.preparedQuery("SELECT blob_digest, size FROM checksum_db_tiles WHERE database_key = $1 AND path = $2")
                .execute(Tuple.of(databaseKey, path))
                .map(rows -> rows.size() == 0 ? Optional.<StoredTile>empty() : Optional.of(new StoredTile(
                        rows.iterator().next().getString(0), rows.iterator().next().getLong(1))));
    }

    /** Records a full tile whose bytes the blob store holds under {@code digest}. */
    public Future<Void> saveTile(String databaseKey, String path, String digest, long size) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("INSERT INTO blobs (digest, size) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING")
                .execute(Tuple.of(digest, size))
                .compose(v -> conn.preparedQuery("""
                                INSERT INTO checksum_db_tiles (database_key, path, blob_digest, size)
                                VALUES ($1, $2, $3, $4)
                                ON CONFLICT (database_key, path) DO UPDATE SET blob_digest = EXCLUDED.blob_digest,
                                    size = EXCLUDED.size""")
                        .execute(Tuple.of(databaseKey, path, digest, size))))
                .mapEmpty();
    }

    public Future<Void> forgetTile(String databaseKey, String path) {
        return pool.preparedQuery("DELETE FROM checksum_db_tiles WHERE database_key = $1 AND path = $2")
                .execute(Tuple.of(databaseKey, path)).mapEmpty();
    }

    public Future<Optional<StoredAnswer>> answer(String databaseKey, String path) {
        return pool.preparedQuery("SELECT body, content_type, fetched_at FROM checksum_db_answers "
                        + "WHERE database_key = $1 AND path = $2")
                .execute(Tuple.of(databaseKey, path))
                .map(ChecksumStore::answer);
    }

    public Future<Void> saveAnswer(String databaseKey, String path, Buffer body, String contentType) {
        return pool.preparedQuery("""
                        INSERT INTO checksum_db_answers (database_key, path, body, content_type) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (database_key, path) DO UPDATE SET body = EXCLUDED.body,
                            content_type = EXCLUDED.content_type, fetched_at = now()""")
                .execute(Tuple.of(databaseKey, path, body, contentType))
                .mapEmpty();
    }

    /** The signed text of the largest tree verified from the database, or {@code null}. */
    public Future<String> verifiedTree(String databaseKey) {
        return pool.preparedQuery("SELECT tree FROM checksum_db_trees WHERE database_key = $1")
                .execute(Tuple.of(databaseKey))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** Remembers a verified tree, unless a larger one is remembered already. */
    public Future<Void> saveVerifiedTree(String databaseKey, long size, String tree) {
        return pool.preparedQuery("""
                        INSERT INTO checksum_db_trees (database_key, size, tree) VALUES ($1, $2, $3)
                        ON CONFLICT (database_key) DO UPDATE SET size = EXCLUDED.size, tree = EXCLUDED.tree,
                            verified_at = now()
                        WHERE checksum_db_trees.size < EXCLUDED.size""")
                .execute(Tuple.of(databaseKey, size, tree))
                .mapEmpty();
    }

    public Future<Void> saveFork(String databaseKey, String artifact, String detail) {
        return pool.preparedQuery("INSERT INTO checksum_db_forks (database_key, artifact, detail) VALUES ($1, $2, $3)")
                .execute(Tuple.of(databaseKey, artifact, detail))
                .mapEmpty();
    }

    private static Optional<StoredAnswer> answer(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        OffsetDateTime at = row.getOffsetDateTime("fetched_at");
        return Optional.of(new StoredAnswer(row.getBuffer("body"), row.getString("content_type"), at.toInstant()));
    }
}
