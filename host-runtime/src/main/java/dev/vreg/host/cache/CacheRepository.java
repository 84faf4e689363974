package dev.vreg.host.cache;

import dev.vreg.host.db.Notify;
import dev.vreg.host.db.Rows;
import dev.vreg.spi.ArtifactRef;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cache entries and blobs in PostgreSQL: the {@code cache_entries} and {@code blobs} tables, which nothing else
 * writes. Removals tell every node ({@link Notify#config}), as nodes remember recent cache hits.
 */
public final class CacheRepository {

    private static final String COLUMNS = "id, upstream_id, path, kind, blob_digest, body, size, content_type, "
            + "upstream_etag, attributes, created_at, checked_at";
    private static final String LISTED = """
            id, upstream_id, path, kind, artifact_name, artifact_version, size, blob_digest, attributes,
            created_at, checked_at, downloads_count, last_downloaded_at, bytes_served""";

    /**
     * The start of a statement whose commit does not wait for the write-ahead log to reach the disk
     * ({@code synchronous_commit} off for its own transaction, which is the statement): the pin of a blob being
     * fetched and the entry that commits it. A database crash may lose the last of them, never corrupt them: a lost
     * pin fails the commit that needs it, and a lost entry is fetched again, its bytes left in the store to be
     * adopted and collected. Every other node sees them at once, as always.
     */
    private static final String RELAXED = "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))\n";

    /** How long a pin protects a blob being committed when no commit takes it back (a crashed fetch). */
    public static final Duration DEFAULT_PIN_VALIDITY = Duration.ofHours(1);

    private final Pool pool;
    private final Duration pinValidity;
    /** Tells when entries were made and pulled, the times lifecycle policies weigh. */
    private final Clock clock;

    public CacheRepository(Pool pool) {
        this(pool, DEFAULT_PIN_VALIDITY);
    }

    /** @param pinValidity how long a pin of {@link #pinBlob} protects a blob at most */
    public CacheRepository(Pool pool, Duration pinValidity) {
        this(pool, pinValidity, Clock.systemUTC());
    }

    public CacheRepository(Pool pool, Duration pinValidity, Clock clock) {
        this.pool = pool;
        this.pinValidity = pinValidity;
        this.clock = clock;
    }

    /** Entries for {@code path} held by any of {@code upstreamIds}, of any kind. */
    public Future<List<CacheEntry>> find(List<Long> upstreamIds, String path) {
        return find(pool, upstreamIds, path);
    }

    /** {@link #find(long, String)} on {@code client}, a connection of the caller's (the advisory lock session). */
    public Future<Optional<CacheEntry>> findOn(SqlClient client, long upstreamId, String path) {
        return find(client, List.of(upstreamId), path).map(list -> list.stream().findFirst());
    }

    private static Future<List<CacheEntry>> find(SqlClient client, List<Long> upstreamIds, String path) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM cache_entries WHERE upstream_id = ANY($1) AND path = $2")
                .execute(Tuple.of(upstreamIds.toArray(Long[]::new), path))
                .map(rows -> {
                    List<CacheEntry> entries = new java.util.ArrayList<>();
                    rows.forEach(row -> entries.add(entry(row)));
                    return entries;
                });
    }

    public Future<Optional<CacheEntry>> find(long upstreamId, String path) {
        return find(List.of(upstreamId), path).map(list -> list.stream().findFirst());
    }

    /**
     * Pins the blob {@code digest} before its bytes go to the store: the collector leaves a pinned blob alone, whether
     * or not an entry references it yet. A pin lasts until {@link #commitContent} or {@link #unpinBlob} takes it back,
     * or for the pin validity at most. Waits while a collection is deleting that blob, which then starts anew.
     */
    public Future<Void> pinBlob(String digest, long size) {
        return pool.preparedQuery(RELAXED + """
                        INSERT INTO blobs (digest, size, pins, pinned_until)
                        SELECT $1, $2, 1, now() + make_interval(secs => $3) FROM relaxed
                        ON CONFLICT (digest) DO UPDATE SET
                            pins = CASE WHEN blobs.pinned_until < now() THEN 1 ELSE blobs.pins + 1 END,
                            pinned_until = GREATEST(blobs.pinned_until, EXCLUDED.pinned_until)""")
                .execute(Tuple.of(digest, size, (double) pinValidity.toMillis() / 1000))
                .mapEmpty();
    }

    /** Takes back a pin of a blob that will not be committed (the fetch failed after pinning). */
    public Future<Void> unpinBlob(String digest) {
        return pool.preparedQuery("UPDATE blobs SET pins = GREATEST(pins - 1, 0) WHERE digest = $1")
                .execute(Tuple.of(digest)).mapEmpty();
    }

    /**
     * Takes back the pin of {@link #pinBlob} and points the (upstream, path) entry at the blob, in one statement (so
     * one round trip, and atomic without a transaction around it). Fails with
     * {@link dev.vreg.spi.ErrorKind#STORAGE_UNAVAILABLE}, committing nothing, when the blob's row is gone: its pin
     * expired and a collection deleted it, bytes and all, so the entry would point at nothing. A collection holding
     * the row makes the statement wait, and then find it gone. {@code downloaded}: the fetch is a client's download,
     * which counts as the entry's first pull at once rather than with the next batch.
     */
    public Future<CacheEntry> commitContent(long upstreamId, ArtifactRef ref, String digest, long size,
                                            String contentType, Map<String, String> attributes, boolean downloaded) {
        return pool.preparedQuery(RELAXED + """
                        , unpinned AS (
                            UPDATE blobs SET pins = GREATEST(pins - 1, 0) WHERE digest = $6 RETURNING digest)
                        INSERT INTO cache_entries (upstream_id, path, kind, artifact_name, artifact_version, file,
                                                   blob_digest, body, size, content_type, upstream_etag, attributes,
                                                   downloads_count, bytes_served, last_downloaded_at, created_at)
                        SELECT $1, $2, 'CONTENT', $3, $4, $5, unpinned.digest, NULL, $7, $8, NULL, $9,
                               $10::bigint, $10::bigint * $7::bigint,
                               CASE WHEN $10::bigint > 0 THEN $11::timestamptz END, $11::timestamptz
                          FROM unpinned, relaxed
                        ON CONFLICT (upstream_id, path) DO UPDATE SET
                            kind = 'CONTENT', blob_digest = EXCLUDED.blob_digest, body = NULL, size = EXCLUDED.size,
                            content_type = EXCLUDED.content_type, upstream_etag = NULL,
                            attributes = EXCLUDED.attributes, created_at = $11::timestamptz, checked_at = now(),
                            downloads_count = cache_entries.downloads_count + EXCLUDED.downloads_count,
                            bytes_served = cache_entries.bytes_served + EXCLUDED.bytes_served,
                            last_downloaded_at = COALESCE(EXCLUDED.last_downloaded_at,
                                                          cache_entries.last_downloaded_at)
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(new Object[] {upstreamId, ref.path(), ref.name(), ref.version(),
                        ref.file(), digest, size, contentType, new JsonObject(Map.copyOf(attributes)),
                        downloaded ? 1L : 0L, clock.instant().atOffset(ZoneOffset.UTC)}))
                .compose(rows -> rows.rowCount() == 0
                        ? Future.failedFuture(new dev.vreg.spi.VregException(dev.vreg.spi.ErrorKind.STORAGE_UNAVAILABLE,
                                "blob " + digest + " was collected while it was being committed; fetch it again"))
                        : Future.succeededFuture(single(rows)));
    }

    /** Stores or replaces an upstream's METADATA body for a path. */
    public Future<CacheEntry> saveMetadata(long upstreamId, ArtifactRef ref, Buffer body, String contentType,
                                           String upstreamEtag) {
        return pool.preparedQuery("""
                        INSERT INTO cache_entries (upstream_id, path, kind, artifact_name, artifact_version, file,
                                                   body, size, content_type, upstream_etag)
                        VALUES ($1, $2, 'METADATA', $3, $4, $5, $6, $7, $8, $9)
                        ON CONFLICT (upstream_id, path) DO UPDATE SET
                            kind = 'METADATA', blob_digest = NULL, body = EXCLUDED.body, size = EXCLUDED.size,
                            content_type = EXCLUDED.content_type, upstream_etag = EXCLUDED.upstream_etag,
                            checked_at = now()
                        WHERE cache_entries.kind <> 'CONTENT'
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(new Object[] {upstreamId, ref.path(), ref.name(), ref.version(), ref.file(),
                        body, (long) body.length(), contentType, upstreamEtag}))
                .map(CacheRepository::single);
    }

    /** Remembers that an upstream does not have a path. Never replaces cached CONTENT. */
    public Future<Void> saveNotFound(long upstreamId, ArtifactRef ref) {
        return pool.preparedQuery("""
                        INSERT INTO cache_entries (upstream_id, path, kind, artifact_name, artifact_version, file)
                        VALUES ($1, $2, 'NOT_FOUND', $3, $4, $5)
                        ON CONFLICT (upstream_id, path) DO UPDATE SET
                            kind = 'NOT_FOUND', blob_digest = NULL, body = NULL, size = 0, upstream_etag = NULL,
                            checked_at = now()
                        WHERE cache_entries.kind <> 'CONTENT'
                        """)
                .execute(Tuple.of(upstreamId, ref.path(), ref.name(), ref.version(), ref.file()))
                .mapEmpty();
    }

    /** Deletes the remembered misses older than {@code validity}; they would be asked again anyway. */
    public Future<Integer> deleteExpiredNotFound(Duration validity) {
        return pool.preparedQuery("""
                        DELETE FROM cache_entries
                         WHERE kind = 'NOT_FOUND' AND checked_at < now() - make_interval(secs => $1)
                        """)
                .execute(Tuple.of((double) validity.toMillis() / 1000)).map(RowSet::rowCount);
    }

    /** Marks an entry as just confirmed by its upstream. */
    public Future<Void> touch(long entryId) {
        return pool.preparedQuery("UPDATE cache_entries SET checked_at = now() WHERE id = $1")
                .execute(Tuple.of(entryId)).mapEmpty();
    }

    /** Adds the pulls (and the bytes they were sent) collected since the last flush. */
    public Future<Void> addDownloads(Map<Long, EntryPulls> pullsByEntry) {
        if (pullsByEntry.isEmpty()) {
            return Future.succeededFuture();
        }
        // One statement, so a failed batch has written nothing and can be written again whole.
        List<Map.Entry<Long, EntryPulls>> entries = List.copyOf(pullsByEntry.entrySet());
        Long[] ids = entries.stream().map(Map.Entry::getKey).toArray(Long[]::new);
        Long[] counts = entries.stream().map(e -> e.getValue().count()).toArray(Long[]::new);
        Long[] bytes = entries.stream().map(e -> e.getValue().bytes()).toArray(Long[]::new);
        return pool.preparedQuery("""
                        UPDATE cache_entries c
                           SET downloads_count = c.downloads_count + v.n, bytes_served = c.bytes_served + v.b,
                               last_downloaded_at = $4
                          FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(id, n, b)
                         WHERE c.id = v.id""")
                .execute(Tuple.tuple().addValue(ids).addValue(counts).addValue(bytes)
                        .addValue(clock.instant().atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    /**
     * One page of an upstream's entries, {@code perPage} from the {@code page}th (1 is the first), ordered by
     * artifact name, version and path; only those whose name and version start with {@code search} and
     * {@code version} ({@code null}: any).
     */
    public Future<CachePage> page(long upstreamId, String search, String version, int page, int perPage) {
        Tuple filter = Tuple.of(upstreamId, escapeLike(search), escapeLike(version));
        Tuple pageFilter = Tuple.of(upstreamId, escapeLike(search), escapeLike(version), perPage,
                (long) (page - 1) * perPage);
        String where = " FROM cache_entries WHERE upstream_id = $1"
                + " AND ($2::text IS NULL OR artifact_name COLLATE \"C\" LIKE $2 || '%')"
                + " AND ($3::text IS NULL OR artifact_version COLLATE \"C\" LIKE $3 || '%')";
        return pool.withConnection(conn -> conn.preparedQuery("SELECT count(*)" + where).execute(filter)
                .compose(counted -> {
                    long total = counted.iterator().next().getLong(0);
                    return conn.preparedQuery("SELECT " + LISTED + where
                                    + " ORDER BY artifact_name COLLATE \"C\", artifact_version COLLATE \"C\","
                                    + " path COLLATE \"C\", id"
                                    + " LIMIT $4 OFFSET $5")
                            .execute(pageFilter)
                            .map(rows -> {
                                List<CachePage.Item> items = new ArrayList<>();
                                rows.forEach(row -> items.add(item(row)));
                                return new CachePage(total, List.copyOf(items));
                            });
                }));
    }

    /** Deletes one of an upstream's entries; answers whether it was there. */
    public Future<Boolean> delete(long upstreamId, long entryId) {
        return pool.withConnection(conn -> conn
                .preparedQuery("DELETE FROM cache_entries WHERE upstream_id = $1 AND id = $2")
                .execute(Tuple.of(upstreamId, entryId))
                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
                        : Notify.config(conn).map(true)));
    }

    /**
     * Removes the entries of {@code upstreamIds}, all or those whose path starts with {@code prefix}, and tells how
     * many went. Blobs no entry references any more are left for garbage collection.
     */
    public Future<Integer> remove(List<Long> upstreamIds, String prefix) {
        return pool.withConnection(conn -> conn.preparedQuery("DELETE FROM cache_entries WHERE upstream_id = ANY($1) "
                        + "AND ($2::text IS NULL OR path LIKE $2 || '%')")
                .execute(Tuple.of(upstreamIds.toArray(Long[]::new), escapeLike(prefix)))
                .compose(rows -> Notify.config(conn).map(rows.rowCount())));
    }

    /**
     * Up to {@code limit} CONTENT entries after ({@code afterDigest}, {@code afterId}), ordered by blob digest, then
     * id: the entries sharing a blob come one after the other, and each page starts where the last one ended (the
     * first page after {@code ("", 0)}).
     */
    public Future<List<CachedFile>> contentPage(String afterDigest, long afterId, int limit) {
        return pool.preparedQuery("""
                        SELECT c.id, c.path, c.blob_digest, c.size, u.name AS upstream
                          FROM cache_entries c JOIN upstreams u ON u.id = c.upstream_id
                         WHERE c.kind = 'CONTENT' AND (c.blob_digest, c.id) > ($1, $2)
                         ORDER BY c.blob_digest, c.id LIMIT $3""")
                .execute(Tuple.of(afterDigest, afterId, limit))
                .map(rows -> {
                    List<CachedFile> files = new ArrayList<>();
                    rows.forEach(row -> files.add(new CachedFile(row.getLong("id"), row.getString("path"),
                            row.getString("upstream"), row.getString("blob_digest"), row.getLong("size"))));
                    return files;
                });
    }

    /**
     * Deletes the cached files {@code broken}, each only while its entry still points at the blob it was checked
     * against (a fetch may have put it right since), and the rows of the {@code damagedBlobs} that no entry refers
     * to any more, in one transaction that tells every node; answers how many entries went. The blob files are the
     * caller's to delete.
     */
    public Future<Integer> removeBroken(List<CachedFile> broken, Set<String> damagedBlobs) {
        if (broken.isEmpty()) {
            return Future.succeededFuture(0);
        }
        Long[] ids = broken.stream().map(CachedFile::id).toArray(Long[]::new);
        String[] digests = broken.stream().map(CachedFile::blobDigest).toArray(String[]::new);
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        DELETE FROM cache_entries c
                         USING unnest($1::bigint[], $2::text[]) AS v(id, digest)
                         WHERE c.id = v.id AND c.kind = 'CONTENT' AND c.blob_digest = v.digest""")
                .execute(Tuple.tuple().addValue(ids).addValue(digests))
                .compose(deleted -> conn.preparedQuery("""
                                DELETE FROM blobs b WHERE b.digest = ANY($1)
                                   AND NOT EXISTS (SELECT 1 FROM cache_entries c WHERE c.blob_digest = b.digest)
                                   AND NOT EXISTS (SELECT 1 FROM checksum_db_tiles t WHERE t.blob_digest = b.digest)""")
                        .execute(Tuple.tuple().addValue(damagedBlobs.toArray(String[]::new)))
                        .compose(v -> Notify.config(conn))
                        .map(deleted.rowCount())));
    }

    /** A blob the collector deleted. */
    public record Collected(String digest, long size) {
    }

    /**
     * One round of collection, in one transaction: locks up to {@code limit} blobs that no entry references and no
     * fetch has pinned (skipping rows another transaction holds), checks again with a fresh snapshot that no entry
     * came to reference them before the lock, lets {@code deleteBytes} delete them from the store while the rows stay
     * locked (a fetch pinning one of them waits, then finds it gone and stores it anew), then deletes the rows. When
     * {@code deleteBytes} fails, the rows stay and the round fails. Answers what went.
     */
    public Future<List<Collected>> collectUnreferenced(int limit,
                                                       java.util.function.Function<List<Collected>, Future<Void>> deleteBytes) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        SELECT b.digest, b.size FROM blobs b
                         WHERE (b.pins = 0 OR b.pinned_until IS NULL OR b.pinned_until < now())
                           AND NOT EXISTS (SELECT 1 FROM cache_entries c WHERE c.blob_digest = b.digest)
                           AND NOT EXISTS (SELECT 1 FROM checksum_db_tiles t WHERE t.blob_digest = b.digest)
                         ORDER BY b.digest LIMIT $1
                         FOR UPDATE OF b SKIP LOCKED""")
                .execute(Tuple.of(limit))
                .compose(locked -> {
                    List<String> digests = new ArrayList<>();
                    java.util.Map<String, Long> sizes = new java.util.HashMap<>();
                    locked.forEach(row -> {
                        digests.add(row.getString("digest"));
                        sizes.put(row.getString("digest"), row.getLong("size"));
                    });
                    if (digests.isEmpty()) {
                        return Future.succeededFuture(List.<Collected>of());
                    }
                    // A new statement sees entries committed after the first one began; none can be added now.
                    // Full checksum database tiles are kept in blobs too (sumdb.ChecksumStore), for good.
                    return conn.preparedQuery("SELECT DISTINCT blob_digest FROM cache_entries WHERE blob_digest = ANY($1) "
                                    + "UNION SELECT blob_digest FROM checksum_db_tiles WHERE blob_digest = ANY($1)")
                            .execute(Tuple.of(digests.toArray(String[]::new)))
                            .compose(referenced -> {
                                referenced.forEach(row -> digests.remove(row.getString(0)));
                                List<Collected> going = digests.stream()
                                        .map(d -> new Collected(d, sizes.get(d))).toList();
                                if (going.isEmpty()) {
                                    return Future.succeededFuture(going);
                                }
                                return deleteBytes.apply(going)
                                        .compose(v -> conn.preparedQuery("DELETE FROM blobs WHERE digest = ANY($1)")
                                                .execute(Tuple.of(digests.toArray(String[]::new))))
                                        .map(going);
                            });
                }));
    }

    /**
     * Records, for a blob found in the store without a row (bytes a crashed commit or an older version left), a row
     * no entry references and no pin protects, so the next round collects it the safe way. A row that exists
     * (a fetch pinned the blob meanwhile) is left as it is. Answers how many rows were added.
     */
    public Future<Integer> adoptOrphans(List<Collected> stored) {
        if (stored.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return pool.preparedQuery("""
                        INSERT INTO blobs (digest, size)
                        SELECT d, s FROM unnest($1::text[], $2::bigint[]) AS v(d, s)
                        ON CONFLICT (digest) DO NOTHING""")
                .execute(Tuple.tuple().addValue(stored.stream().map(Collected::digest).toArray(String[]::new))
                        .addValue(stored.stream().map(Collected::size).toArray(Long[]::new)))
                .map(RowSet::rowCount);
    }

    /** Of {@code digests}, those the {@code blobs} table has a row for. */
    public Future<Set<String>> knownBlobs(List<String> digests) {
        return pool.preparedQuery("SELECT digest FROM blobs WHERE digest = ANY($1)")
                .execute(Tuple.of(digests.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> known = new java.util.HashSet<>();
                    rows.forEach(row -> known.add(row.getString(0)));
                    return known;
                });
    }

    /** A CONTENT entry as a lifecycle policy weighs it: by its name, version and last use (its creation if never pulled). */
    public record Usage(long id, long upstreamId, String path, String name, String version, long size,
                        String blobDigest, Instant lastUsedAt) {
    }

    private static final String LAST_USE = "COALESCE(last_downloaded_at, created_at)";

    /**
     * Up to {@code limit} names, in order after {@code afterName}, that have a CONTENT entry of {@code upstreamIds}
     * last used before {@code cutOff}.
     */
    public Future<List<String>> namesUnusedSince(List<Long> upstreamIds, Instant cutOff, String afterName, int limit) {
        return pool.preparedQuery("SELECT DISTINCT COALESCE(artifact_name, '') COLLATE \"C\" AS name FROM cache_entries"
                        + " WHERE upstream_id = ANY($1) AND kind = 'CONTENT' AND " + LAST_USE + " < $2"
                        + " AND COALESCE(artifact_name, '') COLLATE \"C\" > $3 ORDER BY 1 LIMIT $4")
                .execute(Tuple.of(upstreamIds.toArray(Long[]::new), cutOff.atOffset(ZoneOffset.UTC), afterName,
                        limit))
                .map(rows -> {
                    List<String> names = new ArrayList<>();
                    rows.forEach(row -> names.add(row.getString(0)));
                    return names;
                });
    }

    /** Every CONTENT entry of {@code upstreamIds} with one of {@code names}, recent or not. */
    public Future<List<Usage>> contentOf(List<Long> upstreamIds, List<String> names) {
        return pool.preparedQuery("SELECT id, upstream_id, path, artifact_name, artifact_version, size, blob_digest, "
                        + LAST_USE + " AS last_used FROM cache_entries WHERE upstream_id = ANY($1)"
                        + " AND kind = 'CONTENT' AND COALESCE(artifact_name, '') = ANY($2) ORDER BY id")
                .execute(Tuple.tuple().addValue(upstreamIds.toArray(Long[]::new))
                        .addValue(names.toArray(String[]::new)))
                .map(CacheRepository::usages);
    }

    /**
     * Deletes the CONTENT entries {@code ids} still unused since {@code cutOff} (one pulled meanwhile stays), in one
     * statement that tells every node; answers those deleted. Their blobs are left for the collector.
     */
    public Future<List<Usage>> deleteUnusedSince(List<Long> ids, Instant cutOff) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM cache_entries WHERE id = ANY($1)"
                        + " AND kind = 'CONTENT' AND " + LAST_USE + " < $2 RETURNING id, upstream_id, path,"
                        + " artifact_name, artifact_version, size, blob_digest, " + LAST_USE + " AS last_used")
                .execute(Tuple.of(ids.toArray(Long[]::new), cutOff.atOffset(ZoneOffset.UTC)))
                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(List.<Usage>of())
                        : Notify.config(conn).map(usages(rows))));
    }

    /**
     * The bytes of the blobs {@code entries} point at that nothing else references (another entry, a checksum
     * database tile): what the store frees once they are deleted and collected.
     */
    public Future<Long> bytesFreedBy(List<Usage> entries) {
        if (entries.isEmpty()) {
            return Future.succeededFuture(0L);
        }
        java.util.Map<String, Long> blobs = new java.util.HashMap<>();
        entries.forEach(e -> blobs.put(e.blobDigest(), e.size()));
        return pool.preparedQuery("""
                        SELECT b.digest, b.size FROM blobs b WHERE b.digest = ANY($1)
                           AND NOT EXISTS (SELECT 1 FROM cache_entries c
                                            WHERE c.blob_digest = b.digest AND NOT (c.id = ANY($2)))
                           AND NOT EXISTS (SELECT 1 FROM checksum_db_tiles t WHERE t.blob_digest = b.digest)""")
                .execute(Tuple.tuple().addValue(blobs.keySet().toArray(String[]::new))
                        .addValue(entries.stream().map(Usage::id).toArray(Long[]::new)))
                .map(rows -> {
                    long bytes = 0;
                    for (Row row : rows) {
                        bytes += row.getLong("size");
                    }
                    return bytes;
                });
    }

    private static List<Usage> usages(RowSet<Row> rows) {
        List<Usage> usages = new ArrayList<>();
        rows.forEach(row -> usages.add(new Usage(row.getLong("id"), row.getLong("upstream_id"), row.getString("path"),
                row.getString("artifact_name"), row.getString("artifact_version"), row.getLong("size"),
                row.getString("blob_digest"), Rows.instant(row, "last_used"))));
        return usages;
    }

    /**
     * What the blob store holds against what the cache refers to: blobs and their bytes, CONTENT entries and the bytes
     * they stand for (each counted per entry), and the blobs no entry references.
     */
    public Future<JsonObject> storageTotals() {
        return pool.query("""
                        SELECT (SELECT count(*) FROM blobs) AS blobs,
                               (SELECT coalesce(sum(size), 0) FROM blobs) AS blob_bytes,
                               (SELECT count(*) FROM cache_entries WHERE kind = 'CONTENT') AS entries,
                               (SELECT coalesce(sum(size), 0) FROM cache_entries WHERE kind = 'CONTENT') AS entry_bytes,
                               (SELECT count(DISTINCT blob_digest) FROM cache_entries WHERE kind = 'CONTENT')
                                   AS shared_blobs,
                               (SELECT count(*) FROM blobs b WHERE NOT EXISTS
                                   (SELECT 1 FROM cache_entries c WHERE c.blob_digest = b.digest)
                                   AND NOT EXISTS (SELECT 1 FROM checksum_db_tiles t WHERE t.blob_digest = b.digest))
                                   AS unreferenced,
                               (SELECT coalesce(sum(size), 0) FROM blobs b WHERE NOT EXISTS
                                   (SELECT 1 FROM cache_entries c WHERE c.blob_digest = b.digest)
                                   AND NOT EXISTS (SELECT 1 FROM checksum_db_tiles t WHERE t.blob_digest = b.digest))
                                   AS unreferenced_bytes""")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    long blobBytes = row.getLong("blob_bytes");
                    long unreferencedBytes = row.getLong("unreferenced_bytes");
                    long entryBytes = row.getLong("entry_bytes");
                    return new JsonObject()
                            .put("blobs", row.getLong("blobs"))
                            .put("blobBytes", blobBytes)
                            .put("contentEntries", row.getLong("entries"))
                            .put("contentEntryBytes", entryBytes)
                            .put("referencedBlobs", row.getLong("shared_blobs"))
                            .put("deduplicatedBytes", Math.max(0, entryBytes - (blobBytes - unreferencedBytes)))
                            .put("unreferencedBlobs", row.getLong("unreferenced"))
                            .put("unreferencedBytes", unreferencedBytes);
                });
    }

    private static String escapeLike(String prefix) {
        return prefix == null ? null : prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static CachePage.Item item(Row row) {
        Object attributes = row.getValue("attributes");
        return new CachePage.Item(row.getLong("id"), row.getLong("upstream_id"), row.getString("path"),
                row.getString("kind"), row.getString("artifact_name"), row.getString("artifact_version"),
                row.getLong("size"), row.getString("blob_digest"),
                attributes instanceof JsonObject json ? json : new JsonObject(), Rows.instant(row, "created_at"),
                Rows.instant(row, "checked_at"), row.getLong("downloads_count"),
                Rows.instant(row, "last_downloaded_at"), row.getLong("bytes_served"));
    }

    private static CacheEntry single(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? entry(it.next()) : null;
    }

    private static CacheEntry entry(Row row) {
        Object attributes = row.getValue("attributes");
        OffsetDateTime created = row.getOffsetDateTime("created_at");
        OffsetDateTime checked = row.getOffsetDateTime("checked_at");
        return new CacheEntry(row.getLong("id"), row.getLong("upstream_id"), row.getString("path"),
                row.getString("kind"), row.getString("blob_digest"), row.getBuffer("body"), row.getLong("size"),
                row.getString("content_type"), row.getString("upstream_etag"),
                attributes instanceof JsonObject json ? json : new JsonObject(),
                created.toInstant(), checked.toInstant());
    }
}
