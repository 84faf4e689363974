package dev.vreg.host.cache;

import dev.vreg.spi.ArtifactRef;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Cache entries and blobs in PostgreSQL. */
public final class CacheRepository {

    private static final String COLUMNS = "id, upstream_id, path, kind, blob_digest, body, size, content_type, "
            + "upstream_etag, attributes, created_at, checked_at";

    private final Pool pool;

    public CacheRepository(Pool pool) {
        this.pool = pool;
    }

    /** Entries for {@code path} held by any of {@code upstreamIds}, of any kind. */
    public Future<List<CacheEntry>> find(List<Long> upstreamIds, String path) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM cache_entries WHERE upstream_id = ANY($1) AND path = $2")
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

    /** Records the blob and points the (upstream, path) entry at it, in one transaction. */
    public Future<CacheEntry> commitContent(long upstreamId, ArtifactRef ref, String digest, long size,
                                            String contentType, Map<String, String> attributes) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("INSERT INTO blobs (digest, size) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING")
                .execute(Tuple.of(digest, size))
                .compose(v -> conn.preparedQuery("""
                        INSERT INTO cache_entries (upstream_id, path, kind, artifact_name, artifact_version, file,
                                                   blob_digest, body, size, content_type, upstream_etag, attributes)
                        VALUES ($1, $2, 'CONTENT', $3, $4, $5, $6, NULL, $7, $8, NULL, $9)
                        ON CONFLICT (upstream_id, path) DO UPDATE SET
                            kind = 'CONTENT', blob_digest = EXCLUDED.blob_digest, body = NULL, size = EXCLUDED.size,
                            content_type = EXCLUDED.content_type, upstream_etag = NULL,
                            attributes = EXCLUDED.attributes, created_at = now(), checked_at = now()
                        RETURNING\s""" + COLUMNS)
                        .execute(Tuple.from(new Object[] {upstreamId, ref.path(), ref.name(), ref.version(),
                                ref.file(), digest, size, contentType, new JsonObject(Map.copyOf(attributes))}))))
                .map(CacheRepository::single);
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

    /** Adds download counts collected since the last flush. */
    public Future<Void> addDownloads(Map<Long, Long> countsByEntry) {
        if (countsByEntry.isEmpty()) {
            return Future.succeededFuture();
        }
        // One statement, so a failed batch has written nothing and can be written again whole.
        List<Map.Entry<Long, Long>> entries = List.copyOf(countsByEntry.entrySet());
        Long[] ids = entries.stream().map(Map.Entry::getKey).toArray(Long[]::new);
        Long[] counts = entries.stream().map(Map.Entry::getValue).toArray(Long[]::new);
        return pool.preparedQuery("""
                        UPDATE cache_entries c
                           SET downloads_count = c.downloads_count + v.n, last_downloaded_at = now()
                          FROM unnest($1::bigint[], $2::bigint[]) AS v(id, n)
                         WHERE c.id = v.id""")
                .execute(Tuple.tuple().addValue(ids).addValue(counts)).mapEmpty();
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
