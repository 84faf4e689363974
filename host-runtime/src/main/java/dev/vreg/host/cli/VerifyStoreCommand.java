package dev.vreg.host.cli;

import dev.vreg.host.config.VregConfig;
import dev.vreg.host.storage.StoredBlob;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.vreg.host.db.Notify;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vreg verify-store}: checks every cached file against the blob store (there, of its recorded size, hashing
 * to its digest) and lists the bad ones; {@code --repair} deletes them, so the next request fetches each again.
 * Entries are read in pages by (digest, id), so a blob shared by several entries is read once and no transaction
 * stays open while blobs are hashed.
 */
@Command(name = "verify-store", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check that every cached file's blob is in the blob store, of the size recorded for it, with "
                + "bytes that hash to its digest; list each bad one on standard output.",
                "With --repair, delete the bad cache entries, and their blob when the blob itself is damaged: the "
                        + "next request for such a file fetches it again from its upstream (the repair is a refetch; "
                        + "nothing is rebuilt from the damaged copy)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every cached file is intact, or every bad one was deleted by --repair",
                "1:the check could not be made (no database, no blob store)",
                "2:invalid arguments or configuration",
                "3:bad cached files were found and left as they are"})
final class VerifyStoreCommand implements Callable<Integer> {

    static final int BAD_FILES_LEFT = 3;
    private static final int PAGE = 500;

    /**
     * One cache entry whose blob is not what it records.
     *
     * @param blobBad the blob itself is missing, unreadable or damaged (else only the entry's size is wrong)
     */
    private record Bad(long entryId, String path, String upstream, String digest, boolean blobBad, String problem) {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--repair", description = "Delete the bad entries (and damaged blobs) so they are fetched again")
    boolean repair;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        return CommandDatabase.run(options, spec,
                "DELETE /api/v1/groups/{group}/upstreams/{id}/cache/{entryId} for each bad file", this::verify);
    }

    private int verify(VregConfig config, Pool pool) {
        Path root = config.blobDir().toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("sha256"))) {
            throw new CommandFailure("there is no blob store in " + root + "; give this command the same "
                    + "--config, --data-dir or VREG_STORAGE_PATH as 'vreg run'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Bad> bad = new ArrayList<>();
        long entries = 0;
        long blobs = 0;
        String afterDigest = "";
        long afterId = 0;
        StoredBlob blob = null;
        while (true) {
            RowSet<Row> rows = CommandDatabase.await(pool.preparedQuery("""
                    SELECT c.id, c.path, c.blob_digest, c.size, u.name AS upstream
                      FROM cache_entries c JOIN upstreams u ON u.id = c.upstream_id
                     WHERE c.kind = 'CONTENT' AND (c.blob_digest, c.id) > ($1, $2)
                     ORDER BY c.blob_digest, c.id LIMIT $3""").execute(Tuple.of(afterDigest, afterId, PAGE)));
            for (Row row : rows) {
                entries++;
                afterDigest = row.getString("blob_digest");
                afterId = row.getLong("id");
                if (blob == null || !blob.digest().equals(afterDigest)) {
                    blob = StoredBlob.inspect(root, afterDigest);
                    blobs++;
                }
                String problem = blob.problem(row.getLong("size"));
                if (problem != null) {
                    Bad one = new Bad(afterId, row.getString("path"), row.getString("upstream"), afterDigest,
                            !blob.intact(), problem);
                    bad.add(one);
                    out.println("entry " + one.entryId() + " " + one.path() + " (upstream " + one.upstream()
                            + "): " + one.problem());
                }
            }
            if (rows.size() < PAGE) {
                break;
            }
        }
        out.flush();
        String checked = "checked " + entries + " cached files in " + blobs + " blobs: " + bad.size() + " bad";
        if (bad.isEmpty()) {
            err.println("vreg: " + checked);
            return 0;
        }
        if (!repair) {
            err.println("vreg: " + checked + "; 'vreg verify-store --repair' deletes them, and the next request for "
                    + "each fetches it again");
            return BAD_FILES_LEFT;
        }
        repair(pool, root, bad);
        err.println("vreg: " + checked + ", deleted; the next request for each fetches it again from its upstream");
        return 0;
    }

    /**
     * Deletes the bad entries and the blob rows nothing refers to any more in one transaction that tells running
     * nodes to forget their remembered hits, then the damaged files (unless a fetch has put one right meanwhile).
     */
    private static void repair(Pool pool, Path root, List<Bad> bad) {
        Map<String, List<Bad>> byDigest = new LinkedHashMap<>();
        bad.forEach(b -> byDigest.computeIfAbsent(b.digest(), d -> new ArrayList<>()).add(b));
        CommandDatabase.await(pool.withTransaction(conn -> {
            Future<Void> done = Future.succeededFuture();
            for (Map.Entry<String, List<Bad>> e : byDigest.entrySet()) {
                Long[] ids = e.getValue().stream().map(Bad::entryId).toArray(Long[]::new);
                boolean blobBad = e.getValue().get(0).blobBad();
                done = done.compose(v -> conn.preparedQuery("""
                                DELETE FROM cache_entries
                                 WHERE id = ANY($1) AND kind = 'CONTENT' AND blob_digest = $2""")
                        .execute(Tuple.of(ids, e.getKey())).mapEmpty());
                if (blobBad) {
                    done = done.compose(v -> conn.preparedQuery("""
                                    DELETE FROM blobs b WHERE b.digest = $1
                                       AND NOT EXISTS (SELECT 1 FROM cache_entries c WHERE c.blob_digest = b.digest)""")
                            .execute(Tuple.of(e.getKey())).mapEmpty());
                }
            }
            return done.compose(v -> Notify.config(conn));
        }));
        for (Map.Entry<String, List<Bad>> e : byDigest.entrySet()) {
            if (e.getValue().get(0).blobBad()) {
                try {
                    StoredBlob.deleteIfDamaged(root, e.getKey());
                } catch (UncheckedIOException failed) {
                    throw new CommandFailure("the bad entries are deleted, but blob " + e.getKey() + " could not be: "
                            + failed.getCause().getMessage());
                }
            }
        }
    }
}
